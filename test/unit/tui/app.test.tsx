import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/tui/components/App.js';
import { RelayProvider } from '../../../src/tui/components/RelayProvider.js';
import { RelayActionsContext, RelayStateContext } from '../../../src/tui/context.js';
import { textWidth } from '../../../src/tui/ui/format.js';
import { FakeConnection, FakeSource, delay, history, message, relayState, session, storeOf } from './fixtures.js';
import { fakeActions, linesOf, renderWith } from './render.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

const ENTER = '\r';
const TAB = '\t';
const ESC = '\u001b';
const UP = '\u001b[A';

// ink renders on its own schedule, later still on a loaded machine: assertions on what a key
// press leads to wait for it (a hang guard, not a budget) instead of reading the next frame.
const settled = (assertion: () => void): Promise<void> => vi.waitFor(assertion, { timeout: 5_000, interval: 10 });
const frameOf = (result: { lastFrame(): string | undefined }): string => result.lastFrame() ?? '';

async function type(stdin: { write(data: string): void }, ...chunks: string[]): Promise<void> {
  for (const chunk of chunks) {
    stdin.write(chunk);
    await delay(chunk === ESC ? 80 : 15);
  }
}

const sendOk = () =>
  fakeActions({
    send: (params) =>
      Promise.resolve({
        message_id: '01SENT0000',
        thread: 't',
        results: (params as { to: string[] }).to.map((target) => ({ target, outcome: 'queued' })),
      }),
    thread: (id) => Promise.resolve({ thread: String(id), messages: [history({ body: 'the whole thread' })] }),
  });

describe('App', () => {
  it('fills an 80×24 terminal exactly, never wider', () => {
    const state = relayState({
      store: storeOf(Array.from({ length: 50 }, (_, i) => message({ body: `line ${i} ${'x'.repeat(120)}` }))),
    });
    const result = renderWith(<App columns={80} rows={24} />, state);
    unmount = result.unmount;
    const lines = linesOf(result.lastFrame());
    expect(lines).toHaveLength(24);
    // eslint-disable-next-line no-control-regex -- measuring rendered text without colours
    for (const line of lines) expect(textWidth(line.replace(/\u001b\[[0-9;]*m/g, ''))).toBeLessThanOrEqual(80);
    expect(lines[23]).toContain('Enter send');
  });

  it('sends a typed message with Enter and clears the composer', async () => {
    const actions = sendOk();
    const result = renderWith(<App columns={100} rows={24} />, relayState(), actions);
    unmount = result.unmount;
    await type(result.stdin, '@bo', TAB, 'hello ', 'there', ENTER);
    await settled(() =>
      expect(actions.calls).toEqual([{ name: 'send', args: [{ to: ['bob'], body: 'hello there' }] }]),
    );
    await settled(() => {
      expect(frameOf(result)).toContain('sent #NT0000 to bob: bob queued');
      expect(frameOf(result)).toContain('To: — start with @name');
    });
  });

  it('inserts a bracketed paste (newlines included) without sending, and Ctrl-J adds a line', async () => {
    const actions = sendOk();
    const result = renderWith(<App columns={100} rows={30} />, relayState(), actions);
    unmount = result.unmount;
    await type(result.stdin, '@alice ', '\u001b[200~first\rsecond\u001b[201~', '\n', 'third');
    await settled(() => {
      expect(frameOf(result)).toContain('› @alice first');
      expect(frameOf(result)).toContain('second');
    });
    expect(actions.calls).toEqual([]);
    await type(result.stdin, ENTER);
    await settled(() => expect(actions.calls[0]?.args[0]).toEqual({ to: ['alice'], body: 'first\nsecond\nthird' }));
  });

  it('opens help with ? and closes it with Esc', async () => {
    const result = renderWith(<App columns={100} rows={24} />);
    unmount = result.unmount;
    await type(result.stdin, '?');
    await settled(() => expect(frameOf(result)).toContain('Help — Esc closes'));
    await type(result.stdin, ESC);
    await settled(() => expect(frameOf(result)).not.toContain('Help — Esc closes'));
  });

  it('selects a message, replies to it and opens its thread', async () => {
    const messages = [message({ from: 'alice', body: 'question one' }), message({ from: 'bob', body: 'question two' })];
    const actions = sendOk();
    const result = renderWith(<App columns={100} rows={24} />, relayState({ store: storeOf(messages) }), actions);
    unmount = result.unmount;
    await type(result.stdin, TAB, UP, 't');
    await settled(() => expect(actions.calls[0]).toEqual({ name: 'thread', args: [messages[0]?.id] }));
    await settled(() => expect(frameOf(result)).toContain('the whole thread'));
    await type(result.stdin, ESC, 'r', 'sure', ENTER);
    await settled(() =>
      expect(actions.calls[1]?.args[0]).toEqual({ to: ['alice'], body: 'sure', reply_to: messages[0]?.id }),
    );
  });

  it('approves a pending permission request from its panel', async () => {
    const state = relayState({
      permissions: [
        {
          id: 'P9',
          session: 'coder',
          title: 'Run tests',
          options: [{ id: 'ok', name: 'Allow', kind: 'allow_once' }],
          createdAt: null,
        },
      ],
    });
    const actions = fakeActions({ approve: () => Promise.resolve() });
    const result = renderWith(<App columns={100} rows={24} />, state, actions);
    unmount = result.unmount;
    expect(result.lastFrame()).toContain('Permission requests (1)');
    await type(result.stdin, '\u001b[Z', 'a');
    await settled(() => expect(actions.calls).toEqual([{ name: 'approve', args: ['P9', 'ok'] }]));
    // Once answered, the panel goes and typing reaches the composer again.
    result.rerender(
      <RelayActionsContext.Provider value={actions}>
        <RelayStateContext.Provider value={{ ...state, permissions: [] }}>
          <App columns={100} rows={24} />
        </RelayStateContext.Provider>
      </RelayActionsContext.Provider>,
    );
    await type(result.stdin, 'a');
    await settled(() => {
      expect(frameOf(result)).not.toContain('Permission requests');
      expect(frameOf(result)).toContain('› a');
    });
    expect(actions.calls).toHaveLength(1);
  });

  // How fast this is with 10,000 messages is bench/tui-scale.mjs's figure, not a test's.
  it('with a full store, draws a frame and follows fifty key presses', async () => {
    const messages = Array.from({ length: 2000 }, (_, i) => message({ body: `entry ${i}\nmore` }));
    const state = relayState({ store: storeOf(messages) });
    const result = renderWith(<App columns={120} rows={40} />, state);
    unmount = result.unmount;
    expect(result.lastFrame()).toContain('entry 1999');
    await type(result.stdin, TAB);
    for (let i = 0; i < 50; i += 1) result.stdin.write(UP);
    await settled(() => expect(frameOf(result)).toContain('entry 1949'));
  });
});

describe('App with the relay link', () => {
  it('shows messages as they arrive and acks those addressed to the operator', async () => {
    const connection = new FakeConnection(77, {
      list: () => ({
        bundle: 'crew',
        relay: { pid: 77, state: 'running', version: '0' },
        sessions: [session('alice'), session('you', { role: 'operator' })],
      }),
      'history.search': () => ({ messages: [history({ from: 'alice', body: 'from history' })] }),
    });
    const result = render(
      <RelayProvider source={new FakeSource(() => connection)} bundle="crew" self="you" flushMs={5}>
        <App columns={100} rows={20} />
      </RelayProvider>,
    );
    unmount = result.unmount;
    await settled(() => {
      expect(frameOf(result)).toContain('from history');
      expect(frameOf(result)).toContain('● relay 77');
    });
    const incoming = message({ from: 'alice', to: ['you'], body: 'live one' });
    connection.notify('message.received', { seq: 5, message: { ...incoming, state: 'delivering', read_at: null } });
    await settled(() => expect(frameOf(result)).toContain('live one'));
    await settled(() =>
      expect(connection.requests.find((r) => r.method === 'inbox.ack')?.params).toEqual({ ids: [incoming.id] }),
    );
  });
});
