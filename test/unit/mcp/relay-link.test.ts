// The MCP server's relay link: one connection at a time, inbox-only subscription, retry after
// a lost connection, background reconnects only while someone watches.
import { afterEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { RelayLink } from '../../../src/mcp/relay-link.js';
import { FakeRelayClient } from './fake-relay-client.js';

const links: RelayLink[] = [];
afterEach(() => {
  for (const link of links.splice(0)) link.close();
});

function makeLink(
  clients: FakeRelayClient[],
  options: { watching?: () => boolean; failFirst?: number } = {},
): { link: RelayLink; opens: boolean[]; changes: number[] } {
  const opens: boolean[] = [];
  const changes: number[] = [];
  let failures = options.failFirst ?? 0;
  const link = new RelayLink({
    open: (autoStart) => {
      opens.push(autoStart);
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new AgentmuxError('relay_unavailable', 'nobody listens'));
      }
      const next = clients.shift();
      return next ? Promise.resolve(next.asClient()) : Promise.reject(new Error('no more clients'));
    },
    autoStart: true,
    onInboxChanged: () => changes.push(Date.now()),
    watching: options.watching ?? (() => false),
    log: () => undefined,
    reconnectMs: 20,
  });
  links.push(link);
  return { link, opens, changes };
}

describe('RelayLink', () => {
  it('connects once for concurrent callers and subscribes for inbox counts only', async () => {
    const client = new FakeRelayClient();
    const { link, opens } = makeLink([client]);
    const [a, b] = await Promise.all([link.connect(), link.connect()]);
    expect(a).toBe(b);
    expect(opens).toEqual([true]);
    expect(client.requests).toEqual([{ method: 'subscribe', params: { inbox: true } }]);
    expect(link.hello?.relay.pid).toBe(4242);
  });

  it('passes relay inbox updates on, and signals a possible miss after a reconnect', async () => {
    const first = new FakeRelayClient();
    const second = new FakeRelayClient();
    const { link, changes } = makeLink([first, second]);
    await link.connect();
    first.emit('inbox.updated', { seq: 1, unread: 1 });
    expect(changes).toHaveLength(1);
    first.drop();
    await link.connect();
    expect(changes).toHaveLength(2);
  });

  it('retries a request once on a fresh connection after the old one dropped', async () => {
    const first = new FakeRelayClient({ list: () => ({ sessions: [] }) });
    const second = new FakeRelayClient({ list: () => ({ sessions: ['ok'] }) });
    const { link } = makeLink([first, second]);
    await link.connect();
    first.drop();
    // The stale client is noticed and replaced before the request goes out.
    await expect(link.request('list', {}, { timeoutMs: 1000, retry: false })).resolves.toEqual({ sessions: ['ok'] });

    const flaky = new FakeRelayClient({
      list: () => {
        flaky.drop();
        throw new AgentmuxError('relay_unavailable', 'lost', { details: { lost_connection: true } });
      },
    });
    const fresh = new FakeRelayClient({ list: () => ({ sessions: ['again'] }) });
    const { link: other } = makeLink([flaky, fresh]);
    await expect(other.request('list', {}, { timeoutMs: 1000, retry: true })).resolves.toEqual({ sessions: ['again'] });
    const noRetry = new FakeRelayClient({
      raww: () => {
        throw new AgentmuxError('relay_unavailable', 'lost');
      },
    });
    const { link: third } = makeLink([noRetry, new FakeRelayClient()]);
    await expect(third.request('raww', { target: 'bob' }, { timeoutMs: 1000, retry: false })).rejects.toMatchObject({
      code: 'relay_unavailable',
    });
  });

  it('reconnects in the background without auto-starting only while watched', async () => {
    let watched = true;
    const first = new FakeRelayClient();
    const second = new FakeRelayClient();
    const { link, opens, changes } = makeLink([first, second], { watching: () => watched });
    await link.connect();
    expect(changes).toHaveLength(1);
    first.drop();
    const deadline = Date.now() + 2000;
    while (!link.hello && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(link.hello).toBeDefined();
    expect(opens).toEqual([true, false]);

    // The first connect (a watcher was subscribed) and the reconnect may each have missed
    // mail: one re-read signal for each.
    expect(changes).toHaveLength(2);

    watched = false;
    second.drop();
    await new Promise((r) => setTimeout(r, 100));
    expect(opens).toEqual([true, false]);
    expect(link.hello).toBeUndefined();
  });

  it('lets a tool call auto-start the relay even while a background attempt is failing', async () => {
    const client = new FakeRelayClient();
    const { link, opens } = makeLink([client], { failFirst: 1 });
    const background = link.connect(false).catch((error: unknown) => error);
    const tool = link.connect(true);
    await expect(background).resolves.toMatchObject({ code: 'relay_unavailable' });
    await expect(tool).resolves.toBe(client.asClient());
    expect(opens).toEqual([false, true]);
  });
});
