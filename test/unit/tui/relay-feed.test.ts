import { afterEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { RelayFeed } from '../../../src/tui/link/relay-feed.js';
import type { RelayAction } from '../../../src/tui/state/relay-state.js';
import { FakeConnection, FakeSource, delay, history, message, session } from './fixtures.js';

const feeds: RelayFeed[] = [];
afterEach(() => {
  for (const feed of feeds.splice(0)) feed.stop();
});

function feedOf(source: FakeSource): RelayFeed {
  const feed = new RelayFeed({ source, bundle: 'crew', self: 'you', flushMs: 5, retryMs: { first: 10, max: 20 } });
  feeds.push(feed);
  return feed;
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i += 1) await delay(5);
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

describe('RelayFeed', () => {
  it('is ready with the roster and history loaded before anything renders', async () => {
    const h = history({ body: 'from before' });
    const connection = new FakeConnection(100, {
      list: () => ({
        bundle: 'crew',
        relay: { pid: 100, state: 'running', version: '0' },
        sessions: [session('alice'), session('bob'), session('you', { role: 'operator' })],
      }),
      'history.search': () => ({ messages: [h] }),
    });
    const feed = feedOf(new FakeSource(() => connection));
    feed.start();
    await feed.ready;
    const state = feed.snapshot();
    expect(state).toMatchObject({ link: 'connected', relayPid: 100, loaded: true });
    expect(state.sessions.map((s) => s.id)).toEqual(['alice', 'bob', 'you']);
    expect(state.store.byId.get(h.id)?.message.body).toBe('from before');
  });

  it('is ready when connecting fails, with the reason in the state', async () => {
    const feed = feedOf(new FakeSource(() => new AgentmuxError('relay_unavailable', 'no relay here')));
    feed.start();
    await feed.ready;
    expect(feed.snapshot()).toMatchObject({ loaded: false, linkError: expect.stringContaining('relay_unavailable') });
  });

  it('hands every action after the snapshot to the UI in order, none twice', async () => {
    const connection = new FakeConnection(100);
    const feed = feedOf(new FakeSource(() => connection));
    feed.start();
    await feed.ready;
    feed.snapshot();
    // A received message is acked when its batch is dispatched: the ack shows the batch went out.
    const first = message({ to: ['you'], body: 'while the UI mounted' });
    connection.notify('message.received', { seq: 1, message: { ...first, state: 'delivering', read_at: null } });
    await until(() => connection.requests.some((r) => r.method === 'inbox.ack'), 'the first batch');
    const seen: RelayAction[] = [];
    feed.attach((action) => seen.push(action));
    expect(seen.map((a) => a.type)).toEqual(['events']);
    const second = message({ to: ['you'], body: 'after' });
    connection.notify('message.created', { seq: 2, message: second });
    await until(() => seen.length === 2, 'the live batch');
    const bodies = seen
      .flatMap((a) => (a.type === 'events' ? a.events : []))
      .map((e) => (e.kind === 'message-created' || e.kind === 'message-received' ? e.message.body : e.kind));
    expect(bodies).toEqual(['while the UI mounted', 'after']);
  });
});
