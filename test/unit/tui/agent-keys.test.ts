// `n` and `x` on the sessions panel: the new-agent form and the removal question, as pure
// reductions over keys, and the notice the App shows when the CLI's add/rm answers.
import { describe, expect, it } from 'vitest';
import { keyToIntent } from '../../../src/tui/keys/key-map.js';
import type { KeyPress } from '../../../src/tui/keys/key-press.js';
import { modeOf, reduceIntent, type IntentView } from '../../../src/tui/ui/reduce-intent.js';
import { agentChanged } from '../../../src/tui/ui/run-effect.js';
import { INITIAL_UI, type Effect, type UiState } from '../../../src/tui/ui/ui-state.js';
import { session, storeOf } from './fixtures.js';

const view: IntentView = {
  self: 'you',
  sessions: [session('alice'), session('bob'), session('you', { role: 'operator' })],
  store: storeOf([]),
  permissions: [],
  streamRows: 20,
  pageRows: 10,
  overlayMaxScroll: 0,
  coders: () => ['claude', 'codex', 'gemini'],
};

const text = (value: string): KeyPress => ({ kind: 'text', text: value });
const key = (name: 'return' | 'escape' | 'down' | 'up' | 'backspace'): KeyPress => ({ kind: 'key', name });

/** Presses keys as the App does: key map, then reduceIntent; collects the effects. */
function press(ui: UiState, keys: KeyPress[], over: IntentView = view): { ui: UiState; effects: Effect[] } {
  const effects: Effect[] = [];
  let current = ui;
  for (const k of keys) {
    const intent = keyToIntent(k, { mode: modeOf(current), draftEmpty: current.draft.text === '' });
    if (!intent) continue;
    const outcome = reduceIntent(current, intent, over);
    current = outcome.ui;
    if (outcome.effect) effects.push(outcome.effect);
  }
  return { ui: current, effects };
}

const onSessions: UiState = { ...INITIAL_UI, focus: 'sessions', selectedSession: 'bob' };

describe('n: a new agent from the dashboard', () => {
  it('names it, picks a coder and asks for it to be added', () => {
    const typed = [...'carol'].map(text);
    const { ui, effects } = press(onSessions, [text('n'), ...typed, key('down'), key('down'), key('return')]);
    expect(effects).toEqual([{ type: 'add-agent', session: 'carol', coder: 'gemini' }]);
    expect(ui.overlay).toMatchObject({ kind: 'new-agent', busy: true });
    // A second Enter while it runs adds nothing.
    expect(press(ui, [key('return')]).effects).toEqual([]);
    // n in the composer is just a letter.
    expect(press(INITIAL_UI, [text('n')]).ui.draft.text).toBe('n');
  });

  it('refuses a bad or taken name, and says why in the form', () => {
    const bad = press(onSessions, [text('n'), text('9'), key('return')]);
    expect(bad.effects).toEqual([]);
    expect(bad.ui.overlay).toMatchObject({ kind: 'new-agent', busy: false, error: expect.stringContaining('9') });
    const taken = press(onSessions, [text('n'), ...[...'bob'].map(text), key('return')]);
    expect(taken.effects).toEqual([]);
    expect(taken.ui.overlay).toMatchObject({ error: 'bob is already in the team' });
    expect(press(onSessions, [text('n'), key('return')]).ui.overlay).toMatchObject({
      error: 'type a name for the new agent',
    });
  });

  it('keeps a pasted name to its first word and closes on Esc', () => {
    const pasted = press(onSessions, [text('n'), { kind: 'paste', text: 'dave the reviewer' }]);
    expect(pasted.ui.overlay).toMatchObject({ name: { text: 'dave' } });
    expect(press(pasted.ui, [key('escape')]).ui.overlay).toBeNull();
  });

  it('says so when the dashboard cannot add agents or there is no coder', () => {
    const { coders: _none, ...without } = view;
    expect(press(onSessions, [text('n')], without).ui).toMatchObject({
      overlay: null,
      notice: { level: 'error', text: 'this dashboard cannot add agents' },
    });
    expect(press(onSessions, [text('n')], { ...view, coders: () => [] }).ui.notice?.level).toBe('error');
    const broken = (): string[] => {
      throw new Error('coders.toml: bad key');
    };
    expect(press(onSessions, [text('n')], { ...view, coders: broken }).ui).toMatchObject({
      overlay: null,
      notice: { level: 'error', text: expect.stringContaining('coders.toml: bad key') },
    });
  });
});

describe('x: removing an agent, after a question', () => {
  it('asks first, then removes on y', () => {
    const asked = press(onSessions, [text('x')]);
    expect(asked.effects).toEqual([]);
    expect(asked.ui.overlay).toEqual({ kind: 'remove-agent', target: 'bob', busy: false, error: null });
    const { ui, effects } = press(asked.ui, [text('y')]);
    expect(effects).toEqual([{ type: 'remove-agent', session: 'bob' }]);
    expect(ui.overlay).toMatchObject({ busy: true });
  });

  it('keeps the agent on n or Esc', () => {
    for (const answer of [text('n'), key('escape')]) {
      const { ui, effects } = press(onSessions, [text('x'), answer]);
      expect(effects).toEqual([]);
      expect(ui.overlay).toBeNull();
    }
  });

  it('never offers to remove an operator or nothing', () => {
    expect(press({ ...onSessions, selectedSession: 'you' }, [text('x')]).ui).toMatchObject({
      overlay: null,
      notice: { level: 'error' },
    });
    expect(press({ ...onSessions, selectedSession: null }, [text('x')]).ui.overlay).toBeNull();
  });

  it('closes the question and tells what happened when the CLI answers', () => {
    const busy = press(onSessions, [text('x'), text('y')]).ui;
    const done = agentChanged(busy, 'removed', { session: 'bob', outcome: 'stopped', notes: [] });
    expect(done.overlay).toBeNull();
    expect(done.selectedSession).toBeNull();
    expect(done.notice).toEqual({ text: 'bob removed (stopped)', level: 'info' });
    const added = agentChanged(INITIAL_UI, 'added', { session: 'carol', outcome: 'created', notes: ['a note'] });
    expect(added.selectedSession).toBe('carol');
    expect(added.notice?.text).toBe('carol added (created); a note');
  });
});
