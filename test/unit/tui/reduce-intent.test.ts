import { describe, expect, it } from 'vitest';
import type { Intent } from '../../../src/tui/keys/intents.js';
import { modeOf, reduceIntent, type IntentView } from '../../../src/tui/ui/reduce-intent.js';
import { sent, searched, threadLoaded } from '../../../src/tui/ui/run-effect.js';
import { fieldOf } from '../../../src/tui/ui/text-field.js';
import { INITIAL_UI, type UiState } from '../../../src/tui/ui/ui-state.js';
import { history, message, session, storeOf } from './fixtures.js';

const messages = [
  message({ from: 'alice', to: ['you'], body: 'first' }),
  message({ from: 'you', to: ['bob', 'alice'], body: 'second' }),
  message({ from: 'bob', to: ['you'], body: 'third' }),
];
const view: IntentView = {
  self: 'you',
  sessions: [session('alice'), session('bob'), session('you', { role: 'operator' })],
  store: storeOf(messages),
  permissions: [],
  streamRows: 20,
  pageRows: 10,
  overlayMaxScroll: 5,
};
const run = (ui: UiState, ...intents: Intent[]): { ui: UiState; effects: unknown[] } => {
  const effects: unknown[] = [];
  let current = ui;
  for (const intent of intents) {
    const outcome = reduceIntent(current, intent, view);
    current = outcome.ui;
    if (outcome.effect) effects.push(outcome.effect);
  }
  return { ui: current, effects };
};

describe('reduceIntent: composing', () => {
  it('sends a mentioned draft and stays busy until the relay answers', () => {
    const { ui, effects } = run({ ...INITIAL_UI, draft: fieldOf('@bob fix the build') }, { type: 'submit' });
    expect(effects).toEqual([
      { type: 'send', params: { to: ['bob'], body: 'fix the build' }, label: 'bob', draft: '@bob fix the build' },
    ]);
    expect(ui.sending).toBe(true);
    expect(run(ui, { type: 'submit' }).effects).toEqual([]);
  });

  it('explains instead of sending when nobody is named', () => {
    const { ui, effects } = run({ ...INITIAL_UI, draft: fieldOf('hello') }, { type: 'submit' });
    expect(effects).toEqual([]);
    expect(ui.notice?.level).toBe('error');
  });

  it('replies to the selected message with reply_to and its sender as recipient', () => {
    const start = { ...INITIAL_UI, focus: 'stream' as const };
    const { ui, effects } = run(
      start,
      { type: 'select', delta: -1 },
      { type: 'reply' },
      { type: 'insert', text: 'on it' },
      { type: 'submit' },
    );
    expect(ui.focus).toBe('composer');
    expect(effects).toEqual([
      { type: 'send', params: { to: ['bob'], body: 'on it', reply_to: messages[2]?.id }, label: 'bob', draft: 'on it' },
    ]);
  });

  it('completes a mention with Tab, and moves focus when there is nothing to complete', () => {
    expect(run({ ...INITIAL_UI, draft: fieldOf('@bo') }, { type: 'complete-or-next' }).ui.draft.text).toBe('@bob ');
    expect(run(INITIAL_UI, { type: 'complete-or-next' }).ui.focus).toBe('stream');
  });

  it('edits the search box, not the draft, while search is open', () => {
    const { ui, effects } = run(
      { ...INITIAL_UI, draft: fieldOf('keep') },
      { type: 'open-search' },
      { type: 'insert', text: 'build' },
      { type: 'submit' },
    );
    expect(ui.draft.text).toBe('keep');
    expect(ui.overlay).toMatchObject({ kind: 'search', submitted: 'build' });
    expect(effects).toEqual([{ type: 'search', query: 'build' }]);
  });

  it('clears the draft after a send only when it was not edited meanwhile', () => {
    const effect = { type: 'send' as const, params: { to: ['bob'], body: 'x' }, label: 'bob', draft: '@bob x' };
    const result = { message_id: '01ABCDEF', thread: 't', results: [{ target: 'bob', outcome: 'queued' as const }] };
    const same = sent({ ...INITIAL_UI, sending: true, draft: fieldOf('@bob x') }, effect, result);
    expect(same).toMatchObject({ sending: false, draft: { text: '' }, notice: { level: 'info' } });
    expect(same.notice?.text).toContain('bob queued');
    expect(sent({ ...INITIAL_UI, draft: fieldOf('@bob x and more') }, effect, result).draft.text).toBe(
      '@bob x and more',
    );
  });
});

describe('reduceIntent: navigation', () => {
  it('cycles focus through the panels (permissions only when some are pending)', () => {
    const order = [1, 2, 3].map(
      (n) => run(INITIAL_UI, ...Array.from({ length: n }, () => ({ type: 'focus-next' }) as const)).ui.focus,
    );
    expect(order).toEqual(['stream', 'sessions', 'composer']);
    const pending = { ...view, permissions: [{ id: 'P', session: 'a', title: 't', options: [], createdAt: null }] };
    expect(reduceIntent(INITIAL_UI, { type: 'focus-prev' }, pending).ui.focus).toBe('permissions');
  });

  it('selects messages, and following resumes past the newest', () => {
    const stream = run(INITIAL_UI, { type: 'focus-next' }).ui;
    expect(stream.selectedMessage).toBe(messages[2]?.id);
    const up = run(stream, { type: 'select', delta: -1 }).ui;
    expect(up.selectedMessage).toBe(messages[1]?.id);
    expect(run(up, { type: 'select', delta: 5 }).ui.selectedMessage).toBeNull();
    expect(run(up, { type: 'select-edge', edge: 'first' }).ui.selectedMessage).toBe(messages[0]?.id);
  });

  it('selects sessions and starts a message to one', () => {
    const sessions = run(INITIAL_UI, { type: 'focus-next' }, { type: 'focus-next' }).ui;
    expect(sessions.selectedSession).toBe('alice');
    const { ui } = run(sessions, { type: 'select', delta: 1 }, { type: 'message-session' });
    expect(ui).toMatchObject({ focus: 'composer', draft: { text: '@bob ' } });
  });

  it('scrolls overlays within the reported range', () => {
    const look = run(INITIAL_UI, { type: 'open-look' }).ui;
    expect(look.overlay).toMatchObject({ kind: 'look', target: 'alice', scroll: 0 });
    expect(run(look, { type: 'page', delta: -1 }).ui.overlay).toMatchObject({ scroll: 5 });
    expect(run(look, { type: 'select', delta: 1 }).ui.overlay).toMatchObject({ scroll: 0 });
    const help = run(INITIAL_UI, { type: 'help' }).ui;
    expect(run(help, { type: 'select', delta: 1 }).ui.overlay).toMatchObject({ kind: 'help', scroll: 4 });
  });

  it('closes overlays, then returns to the composer, then drops the reply', () => {
    const replying = run(
      { ...INITIAL_UI, focus: 'stream' },
      { type: 'reply' },
      { type: 'focus-next' },
      { type: 'open-thread' },
    ).ui;
    expect(modeOf(replying)).toBe('thread');
    const once = run(replying, { type: 'close' }).ui;
    expect(modeOf(once)).toBe('stream');
    const twice = run(once, { type: 'close' }).ui;
    expect(modeOf(twice)).toBe('composer');
    expect(twice.replyTo).not.toBeNull();
    expect(run(twice, { type: 'close' }).ui.replyTo).toBeNull();
  });

  it('asks for a thread and fills the overlay only if it still shows it', () => {
    const { ui, effects } = run(INITIAL_UI, { type: 'open-thread' });
    expect(effects).toEqual([{ type: 'load-thread', id: messages[2]?.id }]);
    const loaded = threadLoaded(ui, messages[2]?.id ?? '', [history()], null);
    expect(loaded.overlay).toMatchObject({ kind: 'thread', messages: [expect.anything()] });
    expect(threadLoaded(INITIAL_UI, 'x', [], null)).toBe(INITIAL_UI);
    expect(searched(INITIAL_UI, 'q', [], null)).toBe(INITIAL_UI);
  });

  it('approves and denies the selected permission request with its options', () => {
    const request = {
      id: 'P1',
      session: 'coder',
      title: 'Run tests',
      options: [
        { id: 'yes', name: 'Allow', kind: 'allow_once' },
        { id: 'no', name: 'Reject', kind: 'reject_once' },
      ],
      createdAt: null,
    };
    const pending = { ...view, permissions: [request] };
    const ui = { ...INITIAL_UI, focus: 'permissions' as const };
    expect(reduceIntent(ui, { type: 'approve' }, pending).effect).toEqual({
      type: 'approve',
      id: 'P1',
      optionId: 'yes',
    });
    expect(reduceIntent(ui, { type: 'deny' }, pending).effect).toEqual({ type: 'deny', id: 'P1', optionId: 'no' });
    expect(reduceIntent(ui, { type: 'deny' }, view).effect).toBeUndefined();
  });

  it('quits through an effect', () => {
    expect(run(INITIAL_UI, { type: 'quit' }).effects).toEqual([{ type: 'quit' }]);
  });
});
