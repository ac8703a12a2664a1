// A composer holding a collapsed paste (Gemini `[Pasted Text: 6 lines]`) proves our text was not
// submitted: the detector finds the placeholder, and the submission proof never counts such a
// screen as submitted, busy line or not (Gemini draws its composer under the busy line).
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../src/core/clock.js';
import {
  collapsedPaste,
  collapsedPasteIn,
  placeholderFits,
} from '../../../../src/transports/readiness/collapsed-paste.js';
import { geminiDetector } from '../../../../src/transports/readiness/gemini.js';
import { genericDetector } from '../../../../src/transports/readiness/generic.js';
import { claudeDetector } from '../../../../src/transports/readiness/claude.js';
import { submitTyped, type PaneDeliveryDeps, type PaneTarget } from '../../../../src/transports/tmux/pane-delivery.js';
import type { Observation, PaneObserver } from '../../../../src/transports/tmux/pane-observer.js';
import type { PaneInjector } from '../../../../src/transports/tmux/pane-injector.js';
import type { TmuxServer } from '../../../../src/transports/tmux/tmux-server.js';
import type { ScreenSnapshot } from '../../../../src/transports/readiness/types.js';
import { claude, gemini, geminiRules, presetCoder, screen } from './fixtures.js';

const EMPTY = ' >   Type your message or @path/to/file';
const FOLDED = ' > [Pasted Text: 6 lines]';

/** A Gemini screen with `composer` in place of its empty composer row. */
function withComposer(base: ScreenSnapshot, composer: string): ScreenSnapshot {
  const lines = base.lines.map((line) => (line === EMPTY ? composer : line));
  return screen(lines, composer === EMPTY ? 3 : composer.length, base.cursorY);
}

const geminiFolded = withComposer(gemini.idle, FOLDED);
const geminiBusyFolded = withComposer(gemini.busy, FOLDED);

describe('collapsed paste placeholders', () => {
  it('reads the placeholders Gemini CLI and Claude Code draw, with the size they state', () => {
    expect(collapsedPasteIn('[Pasted Text: 6 lines]')).toEqual({ text: '[Pasted Text: 6 lines]', lines: 6 });
    expect(collapsedPasteIn('see [Pasted Text: 501 chars #2] here')).toEqual({
      text: '[Pasted Text: 501 chars #2]',
      chars: 501,
    });
    expect(collapsedPasteIn('multi B[Pasted text #1 +12 lines]')).toEqual({
      text: '[Pasted text #1 +12 lines]',
      moreLines: 12,
    });
    expect(collapsedPasteIn('hello world')).toBeNull();
    expect(collapsedPasteIn('[Pasted something else]')).toBeNull();
  });

  it('finds one only in the composer, not in the scrollback', () => {
    expect(collapsedPaste(geminiDetector, geminiFolded)).toMatchObject({ lines: 6 });
    expect(collapsedPaste(geminiDetector, geminiBusyFolded)).toMatchObject({ lines: 6 });
    expect(collapsedPaste(geminiDetector, gemini.idle)).toBeNull();
    const sent = screen([' > [Pasted Text: 6 lines]', '', ...gemini.idle.lines], 3, gemini.idle.cursorY + 2);
    expect(collapsedPaste(geminiDetector, sent)).toBeNull();
    expect(collapsedPaste(claudeDetector, claude.pastedDraft)).toMatchObject({ moreLines: 12 });
    const scripted = screen(['agent> hello', 'answer: hello', 'agent> [Pasted Text: 5 lines]'], 29, 2);
    expect(collapsedPaste(genericDetector, scripted)).toMatchObject({ lines: 5 });
  });

  it('tells our paste by its size', () => {
    const six = 'a\nb\nc\nd\ne\nf';
    expect(placeholderFits({ text: '', lines: 6 }, six)).toBe(true);
    expect(placeholderFits({ text: '', lines: 5 }, six)).toBe(false);
    expect(placeholderFits({ text: '', chars: 11 }, six)).toBe(true);
    expect(placeholderFits({ text: '', moreLines: 5 }, six)).toBe(true);
    expect(placeholderFits({ text: '', moreLines: 9 }, six)).toBe(false);
  });

  it('says draft for Gemini while the placeholder is in the composer', () => {
    expect(geminiDetector.assess(geminiFolded, geminiRules)).toMatchObject({ state: 'draft' });
  });
});

/** Deps whose pane shows `screens` in turn (the last one stays), counting the keys pressed. */
function scriptedPane(screens: (pressed: number) => ScreenSnapshot): { deps: PaneDeliveryDeps; keys: string[][] } {
  const keys: string[][] = [];
  const observe = (): Promise<Observation> => {
    const shown = screens(keys.filter((k) => k.includes('Enter')).length);
    return Promise.resolve({
      info: {
        paneId: '%1',
        pid: 1,
        cursorX: shown.cursorX,
        cursorY: shown.cursorY,
        inMode: false,
        dead: false,
        width: 80,
        height: 24,
      },
      lines: shown.lines,
      changedAt: 0,
      quietFor: Number.POSITIVE_INFINITY,
    });
  };
  const injector = {
    pressKeys: (_pane: string, pressed: string[]) => {
      keys.push(pressed);
      return Promise.resolve();
    },
  };
  return {
    keys,
    deps: {
      server: {} as TmuxServer,
      observer: { observe } as unknown as PaneObserver,
      injector: injector as unknown as PaneInjector,
      clock: systemClock,
      report: () => undefined,
    },
  };
}

function geminiTarget(overrides: Partial<PaneTarget> = {}): PaneTarget {
  return {
    session: 'gem',
    paneId: '%1',
    coder: { ...presetCoder('gemini'), attemptTimeoutMs: 4000 },
    rules: geminiRules,
    detector: geminiDetector,
    ...overrides,
  };
}

describe('proof of submission with a collapsed paste', () => {
  it('is not a busy line while the placeholder stays in the composer', async () => {
    // Enter lands while Gemini is still busy: it keeps the paste and shows its busy line.
    const { deps, keys } = scriptedPane((entered) => (entered === 0 ? geminiFolded : geminiBusyFolded));
    const target = geminiTarget({ coder: { ...presetCoder('gemini'), attemptTimeoutMs: 600 } });
    const outcome = await submitTyped(deps, target, 'MSG1', () => undefined, new AbortController().signal);
    expect(outcome).toEqual({ state: 'failed', reason: 'submit_unconfirmed' });
    expect(keys).toEqual([['Enter'], ['C-c']]);
  });

  it('presses Enter again once the agent is idle with the paste still there, and counts it when it is gone', async () => {
    let looks = 0;
    const { deps, keys } = scriptedPane((entered) => {
      looks += 1;
      if (entered === 0) return geminiFolded;
      if (entered === 1) return looks < 30 ? geminiBusyFolded : geminiFolded;
      return gemini.busy;
    });
    const outcome = await submitTyped(deps, geminiTarget(), 'MSG2', () => undefined, new AbortController().signal);
    expect(outcome).toEqual({ state: 'delivered' });
    expect(keys).toEqual([['Enter'], ['Enter']]);
  });

  it('counts the hook reporting our prompt, whatever the screen shows', async () => {
    const { deps, keys } = scriptedPane(() => geminiFolded);
    const target = geminiTarget({ confirmedByHook: (id) => id === 'MSG3' });
    const outcome = await submitTyped(deps, target, 'MSG3', () => undefined, new AbortController().signal);
    expect(outcome).toEqual({ state: 'delivered' });
    expect(keys).toEqual([['Enter']]);
  });
});
