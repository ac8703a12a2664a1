import { describe, expect, it } from 'vitest';
import { claudeDetector } from '../../../../src/transports/readiness/claude.js';
import { codexDetector } from '../../../../src/transports/readiness/codex.js';
import { detectorFor } from '../../../../src/transports/readiness/factory.js';
import { geminiDetector } from '../../../../src/transports/readiness/gemini.js';
import { genericDetector } from '../../../../src/transports/readiness/generic.js';
import { DETECTOR_KINDS, type DetectorKind } from '../../../../src/transports/readiness/types.js';
import { agentRules, claude, claudeRules, codex, codexRules, gemini, geminiRules, screen } from './fixtures.js';

describe('claude detector', () => {
  it('is ready on the idle screen, even with the glyph in the scrollback', () => {
    expect(claudeDetector.assess(claude.idle, claudeRules)).toEqual({ state: 'ready' });
    expect(claudeDetector.assess(claude.idle, { ...claudeRules, promptIdleColumn: 2 })).toEqual({ state: 'ready' });
    expect(claudeDetector.composerText?.(claude.idle)).toBe('');
  });

  it('sees a draft, also a collapsed multi-line paste', () => {
    expect(claudeDetector.assess(claude.draft, claudeRules)).toMatchObject({ state: 'draft' });
    expect(claudeDetector.composerText?.(claude.draft)).toBe('hello claude');
    expect(claudeDetector.assess(claude.pastedDraft, claudeRules)).toMatchObject({ state: 'draft' });
    expect(claudeDetector.composerText?.(claude.pastedDraft)).toBe('multi A\nmulti B[Pasted text #1 +12 lines]');
  });

  it('says busy although the empty composer is drawn', () => {
    expect(claudeDetector.assess(claude.busy, claudeRules)).toMatchObject({
      state: 'busy',
      reason: expect.stringContaining('esc to interrupt'),
    });
  });

  it('says waiting_input on the permission and trust dialogs', () => {
    expect(claudeDetector.assess(claude.dialog, claudeRules)).toMatchObject({ state: 'waiting_input' });
    expect(claudeDetector.assess(claude.trust, claudeRules)).toMatchObject({ state: 'waiting_input' });
  });

  it('never calls a dialog ready, even without a waiting rule: its indented glyph is no composer', () => {
    const { waitingRegex: _ignored, ...noWaiting } = claudeRules;
    expect(claudeDetector.assess(claude.dialog, noWaiting)).toMatchObject({ state: 'not_ready' });
    expect(claudeDetector.composerText?.(claude.dialog)).toBeNull();
  });
});

describe('codex detector', () => {
  it('is ready on the idle screen with the placeholder', () => {
    expect(codexDetector.assess(codex.idle, codexRules)).toEqual({ state: 'ready' });
    expect(codexDetector.composerText?.(codex.idle)).toBe('Ask Codex to do anything');
  });

  it('sees single- and multi-line drafts', () => {
    expect(codexDetector.assess(codex.draft, codexRules)).toMatchObject({ state: 'draft' });
    expect(codexDetector.composerText?.(codex.draft)).toBe('hello codex');
    expect(codexDetector.assess(codex.multiLineDraft, codexRules)).toMatchObject({ state: 'draft' });
    expect(codexDetector.composerText?.(codex.multiLineDraft)).toBe('first line\nsecond line');
  });

  it('says busy while working and waiting_input on the approval overlay', () => {
    expect(codexDetector.assess(codex.busy, codexRules)).toMatchObject({ state: 'busy' });
    expect(codexDetector.assess(codex.dialog, codexRules)).toMatchObject({ state: 'waiting_input' });
  });

  it('takes the overlay row for the composer only when no waiting rule says otherwise', () => {
    const { waitingRegex: _ignored, ...noWaiting } = codexRules;
    // "› 1. Yes, proceed (y)" is not the empty placeholder, so at worst it is a draft: never ready.
    expect(codexDetector.assess(codex.dialog, noWaiting)).toMatchObject({ state: 'draft' });
  });

  it('does not take a sent prompt in the scrollback for the composer when a screen covers it', () => {
    const { waitingRegex: _ignored, ...noWaiting } = codexRules;
    const review = screen(
      [
        ...codex.idle.lines.slice(0, 10),
        '  Hooks need review',
        '  7 hooks are new or changed.',
        '  1. Review hooks',
        '  2. Trust all and continue',
        '  3. Continue without trusting',
      ],
      0,
      14,
    );
    expect(codexDetector.assess(review, noWaiting)).toMatchObject({ state: 'not_ready' });
    expect(codexDetector.composerText?.(review)).toBeNull();
  });
});

describe('gemini detector', () => {
  it('is ready on the idle screen, even with a sent prompt in the scrollback', () => {
    expect(geminiDetector.assess(gemini.idle, geminiRules)).toEqual({ state: 'ready' });
    expect(geminiDetector.composerText?.(gemini.idle)).toBe('Type your message or @path/to/file');
  });

  it('sees drafts', () => {
    expect(geminiDetector.assess(gemini.draft, geminiRules)).toMatchObject({ state: 'draft' });
    expect(geminiDetector.composerText?.(gemini.draft)).toBe('hello world');
    expect(geminiDetector.composerText?.(gemini.multiLineDraft)).toBe('hello world\nand more');
  });

  it('judges an unfocused Gemini (hidden cursor parked at column 0) by its composer, not the idle column', () => {
    const rules = { ...geminiRules, promptIdleColumn: 3 };
    expect(geminiDetector.assess({ ...gemini.idle, cursorX: 0 }, rules)).toEqual({ state: 'ready' });
    expect(geminiDetector.assess({ ...gemini.draft, cursorX: 0 }, rules)).toMatchObject({ state: 'draft' });
    // Focused, the column still counts; without an empty-composer rule it is all there is.
    expect(geminiDetector.assess({ ...gemini.idle, cursorX: 7 }, rules)).toMatchObject({ state: 'draft' });
    const { emptyComposerRegex: _none, ...columnOnly } = rules;
    expect(geminiDetector.assess({ ...gemini.idle, cursorX: 0 }, columnOnly)).toMatchObject({ state: 'draft' });
  });

  it('says busy while thinking and waiting_input on the dialogs', () => {
    expect(geminiDetector.assess(gemini.busy, geminiRules)).toMatchObject({ state: 'busy' });
    expect(geminiDetector.assess(gemini.dialog, geminiRules)).toMatchObject({ state: 'waiting_input' });
    expect(geminiDetector.assess(gemini.trust, geminiRules)).toMatchObject({ state: 'waiting_input' });
  });

  it('finds no composer in the dialog without a waiting rule', () => {
    const { waitingRegex: _ignored, ...noWaiting } = geminiRules;
    expect(geminiDetector.assess(gemini.dialog, noWaiting)).toMatchObject({ state: 'not_ready' });
  });
});

describe('generic detector', () => {
  const idle = screen(
    ['scripted agent agent (think 1500 ms)', 'agent> hello', 'hello', 'answer: hello', 'agent>', '', ''],
    7,
    4,
  );

  it('inspects the last lines with trailing blank lines dropped', () => {
    expect(genericDetector.assess(idle, agentRules)).toEqual({ state: 'ready' });
    expect(genericDetector.composerText?.(idle)).toBe('agent>');
  });

  it('sees a draft by the empty-composer rule or by the idle column', () => {
    const draft = screen(['agent> some text', ''], 16, 0);
    expect(genericDetector.assess(draft, agentRules)).toMatchObject({ state: 'draft' });
    const { emptyComposerRegex: _ignored, ...columnOnly } = agentRules;
    expect(genericDetector.assess(draft, columnOnly)).toMatchObject({
      state: 'draft',
      reason: expect.stringContaining('16'),
    });
  });

  it('is not ready when the prompt rule does not match, the screen is blank or the pane is in copy mode', () => {
    expect(genericDetector.assess(screen(['booting…'], 0, 0), agentRules)).toMatchObject({ state: 'not_ready' });
    expect(genericDetector.assess(screen(['', '', ''], 0, 0), agentRules)).toMatchObject({ state: 'not_ready' });
    expect(genericDetector.assess({ ...idle, inMode: true }, agentRules)).toMatchObject({
      state: 'not_ready',
      reason: expect.stringContaining('copy mode'),
    });
  });

  it('checks busy before waiting before copy mode before the composer', () => {
    const both = screen(['thinking… (1.0s)', 'Allow?', 'agent>'], 7, 2, true);
    const rules = { ...agentRules, waitingRegex: /Allow\?/u };
    expect(genericDetector.assess(both, rules).state).toBe('busy');
    expect(genericDetector.assess({ ...both, lines: both.lines.slice(1) }, rules).state).toBe('waiting_input');
    expect(genericDetector.assess({ ...both, lines: both.lines.slice(2) }, rules).state).toBe('not_ready');
  });

  it('is ready as soon as there is text when the coder has no rules', () => {
    expect(genericDetector.assess(screen(['$ '], 2, 0), { promptInspectLines: 3 })).toEqual({ state: 'ready' });
  });

  it('gives the same answer for regexes with the g flag on every call', () => {
    const rules = { ...agentRules, emptyComposerRegex: /^agent>$/gmu, busyRegex: /thinking…/gu };
    for (let round = 0; round < 3; round += 1) expect(genericDetector.assess(idle, rules)).toEqual({ state: 'ready' });
  });
});

describe('detectorFor', () => {
  it('returns the detector of each kind and refuses unknown kinds', () => {
    for (const kind of DETECTOR_KINDS) expect(detectorFor(kind).kind).toBe(kind);
    expect(() => detectorFor('opencode' as DetectorKind)).toThrow(TypeError);
  });
});
