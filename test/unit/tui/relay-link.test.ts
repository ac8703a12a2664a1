import { afterEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { RelayLink } from '../../../src/tui/link/relay-link.js';
import type { RelayAction } from '../../../src/tui/state/relay-state.js';
import { FakeConnection, FakeSource, delay, history, message } from './fixtures.js';

const links: RelayLink[] = [];
afterEach(() => {
  for (const link of links.splice(0)) link.stop();
});

function start(source: FakeSource): { link: RelayLink; actions: RelayAction[] } {
  const actions: RelayAction[] = [];
  const link = new RelayLink({ source, dispatch: (a) => actions.push(a), flushMs: 5, retryMs: { first: 10, max: 20 } });
  links.push(link);
  link.start();
  return { link, actions };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i += 1) await delay(5);
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

describe('RelayLink', () => {
  it('subscribes as the operator, then loads roster, history and permissions', async () => {
    const h = history();
    const connection = new FakeConnection(100, { 'history.search': () => ({ messages: [h] }) });
    const { actions } = start(new FakeSource(() => connection));
    await until(() => actions.some((a) => a.type === 'loaded'), 'loaded');
    expect(connection.requests[0]).toEqual({ method: 'subscribe', params: { messages: true, events: true } });
    expect(connection.requests.map((r) => r.method)).toEqual(
      expect.arrayContaining(['list', 'history.search', 'permission.list']),
    );
    const loaded = actions.find((a) => a.type === 'loaded');
    expect(loaded).toMatchObject({ history: [h], permissions: null });
    expect(actions.map((a) => a.type).slice(0, 2)).toEqual(['link', 'connected']);
  });

  it('batches notifications into one action and acks what it takes delivery of', async () => {
    const connection = new FakeConnection(100);
    const { actions } = start(new FakeSource(() => connection));
    await until(() => actions.some((a) => a.type === 'loaded'), 'loaded');
    const incoming = message({ to: ['you'] });
    connection.notify('message.created', { seq: 1, message: incoming });
    connection.notify('message.received', { seq: 2, message: { ...incoming, state: 'delivering', read_at: null } });
    connection.notify('not.a.thing', { seq: 3 });
    await until(() => actions.some((a) => a.type === 'events'), 'events');
    const batches = actions.filter((a) => a.type === 'events');
    expect(batches).toHaveLength(1);
    expect(batches[0]?.type === 'events' && batches[0].events.map((e) => e.kind)).toEqual([
      'message-created',
      'message-received',
    ]);
    await until(() => connection.requests.some((r) => r.method === 'inbox.ack'), 'ack');
    expect(connection.requests.find((r) => r.method === 'inbox.ack')?.params).toEqual({ ids: [incoming.id] });
  });

  it('reconnects after the connection drops, replaying with since from the same relay only', async () => {
    const connections = [new FakeConnection(100), new FakeConnection(100), new FakeConnection(200)];
    let opened = 0;
    const source = new FakeSource((): FakeConnection | Error => connections[opened++] ?? new Error('no more'));
    const { actions } = start(source);
    await until(() => actions.filter((a) => a.type === 'loaded').length === 1, 'first load');
    connections[0]?.notify('session.updated', {
      seq: 41,
      session: {
        id: 'alice',
        name: null,
        role: 'agent',
        transport: 'tmux',
        state: 'busy',
        state_source: 'screen',
        reason: null,
        queued: 0,
        unread: 0,
        attached: false,
        description: null,
      },
    });
    await until(() => actions.some((a) => a.type === 'events'), 'events');
    connections[0]?.close();
    await until(() => actions.filter((a) => a.type === 'loaded').length === 2, 'second load');
    expect(connections[1]?.requests[0]?.params).toEqual({ messages: true, events: true, since: 41 });
    expect(actions.some((a) => a.type === 'link' && a.link === 'reconnecting')).toBe(true);
    connections[1]?.close();
    await until(() => actions.filter((a) => a.type === 'loaded').length === 3, 'third load');
    // A new relay numbers notifications afresh: no `since`.
    expect(connections[2]?.requests[0]?.params).toEqual({ messages: true, events: true });
  });

  it('shows what the policy allows instead of reconnecting forever', async () => {
    const forbidden = (): never => {
      throw new AgentmuxError('authorization_forbidden', 'request denied by authorization policy');
    };
    const connection = new FakeConnection(9, {
      subscribe: (params) => ((params as { events?: boolean }).events ? forbidden() : { seq: 0, replayed: 0 }),
      list: forbidden,
      'history.search': forbidden,
    });
    const { actions } = start(new FakeSource(() => connection));
    await until(() => actions.some((a) => a.type === 'loaded'), 'loaded');
    expect(actions.find((a) => a.type === 'loaded')).toMatchObject({ sessions: [], history: [] });
    expect(connection.requests.slice(0, 2).map((r) => r.params)).toEqual([
      { messages: true, events: true },
      { messages: true },
    ]);
  });

  it('keeps retrying while the relay cannot be reached, showing why', async () => {
    let attempts = 0;
    const source = new FakeSource(() => {
      attempts += 1;
      return attempts < 3 ? new AgentmuxError('relay_unavailable', 'nobody listens') : new FakeConnection(5);
    });
    const { actions } = start(source);
    await until(() => actions.some((a) => a.type === 'loaded'), 'loaded');
    expect(actions).toContainEqual({ type: 'link', link: 'connecting', error: 'relay_unavailable: nobody listens' });
  });

  it('rejects actions while disconnected and answers permissions through the relay', async () => {
    const stopped = new RelayLink({ source: new FakeSource(() => new Error('down')), dispatch: () => undefined });
    await expect(stopped.actions().look('alice')).rejects.toMatchObject({ code: 'relay_unavailable' });
    const connection = new FakeConnection(1, {
      'permission.approve': () => ({}),
      'permission.list': () => ({ permissions: [] }),
    });
    const { link, actions } = start(new FakeSource(() => connection));
    await until(() => actions.some((a) => a.type === 'loaded'), 'loaded');
    expect(actions.find((a) => a.type === 'loaded')).toMatchObject({ permissions: [] });
    await link.actions().approve('P1', 'yes');
    expect(connection.requests.at(-1)).toEqual({ method: 'permission.approve', params: { id: 'P1', option: 'yes' } });
    expect(actions.at(-1)).toEqual({ type: 'permission-gone', id: 'P1' });
  });
});
