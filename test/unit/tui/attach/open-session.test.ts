// Enter / o on a session: which sessions can be opened, and the effect that opens one.
import { describe, expect, it } from 'vitest';
import { keyToIntent } from '../../../../src/tui/keys/key-map.js';
import { reduceIntent, type IntentView } from '../../../../src/tui/ui/reduce-intent.js';
import { runEffect, type EffectHost } from '../../../../src/tui/ui/run-effect.js';
import { INITIAL_UI, type UiState } from '../../../../src/tui/ui/ui-state.js';
import { returnNotice } from '../../../../src/tui/attach/dashboard-attach.js';
import { session, storeOf } from '../fixtures.js';

const view: IntentView = {
  self: 'you',
  sessions: [session('coder'), session('worker', { transport: 'acp' }), session('you', { role: 'operator' })],
  store: storeOf([]),
  permissions: [],
  streamRows: 20,
  pageRows: 10,
  overlayMaxScroll: 0,
};
const selected = (id: string): UiState => ({ ...INITIAL_UI, focus: 'sessions', selectedSession: id });

describe('open-session', () => {
  it('is what Enter and o mean on the sessions panel; m still starts a message', () => {
    const context = { mode: 'sessions' as const, draftEmpty: true };
    expect(keyToIntent({ kind: 'key', name: 'return' }, context)).toEqual({ type: 'open-session' });
    expect(keyToIntent({ kind: 'text', text: 'o' }, context)).toEqual({ type: 'open-session' });
    expect(keyToIntent({ kind: 'text', text: 'm' }, context)).toEqual({ type: 'message-session' });
  });

  it('opens a tmux agent, and explains why others cannot be opened', () => {
    expect(reduceIntent(selected('coder'), { type: 'open-session' }, view).effect).toEqual({
      type: 'open-session',
      session: 'coder',
    });
    for (const id of ['worker', 'you']) {
      const outcome = reduceIntent(selected(id), { type: 'open-session' }, view);
      expect(outcome.effect).toBeUndefined();
      expect(outcome.ui.notice).toMatchObject({ level: 'error', text: `${id} has no tmux pane to open` });
    }
    const none = reduceIntent({ ...INITIAL_UI, focus: 'sessions' }, { type: 'open-session' }, view);
    expect(none.ui.notice?.text).toBe('select a session first');
  });

  it('hands the session to the host, or says it cannot without one', () => {
    const opened: string[] = [];
    let ui = INITIAL_UI;
    const host = (open?: (session: string) => void): EffectHost => ({
      actions: {} as EffectHost['actions'],
      update: (change) => {
        ui = change(ui);
      },
      exit: () => undefined,
      open,
    });
    runEffect(
      { type: 'open-session', session: 'coder' },
      host((id) => opened.push(id)),
    );
    expect(opened).toEqual(['coder']);
    runEffect({ type: 'open-session', session: 'coder' }, host());
    expect(ui.notice?.level).toBe('error');
  });

  it('words the return for each outcome', () => {
    expect(returnNotice('coder', { outcome: 'detached', via: 'binding' }, 'C-q')).toBe(
      'back from coder (C-q); Enter or o opens it again',
    );
    expect(returnNotice('coder', { outcome: 'session_ended' }, 'C-q')).toBe('coder ended while you were attached');
    expect(returnNotice('coder', { outcome: 'spawn_failed', error: 'ENOENT' }, 'C-q')).toBe(
      'could not open coder: ENOENT',
    );
  });
});
