// The relay-wide output budget against the real relay: subscribers that stop reading are
// dropped, furthest behind first, with a logged reason, long before each reaches its own cap;
// a subscriber that keeps reading misses nothing, and the relay keeps serving.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOperatorKey } from '../../../src/runtime/operator-key.js';
import { relayPid, stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { RawSocket } from '../../helpers/raw-connection.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'budget';
const STALLED = 19;
const SENDS = 80;
const BODY = 'x'.repeat(250 * 1024);

let roots: TempRoots;
let socket: string;

interface LogEntry {
  level: string;
  event: string;
  reason?: string;
  connection?: number;
  buffered_bytes?: number;
  trigger?: string;
  dropped?: number;
}

const logEntries = (): LogEntry[] =>
  readFileSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LogEntry);

/** An operator connection subscribed to every event (message bodies included). */
async function eventSubscriber(): Promise<RawSocket> {
  const connection = await RawSocket.open(socket);
  const hello = await connection.request('h', 'hello', {
    protocol: 1,
    bundle: BUNDLE,
    session: 'user',
    client: { name: 'budget', version: '0' },
    credential: readOperatorKey(dirname(socket)),
  });
  expect(hello.error).toBeUndefined();
  expect((await connection.request('s', 'subscribe', { events: true })).error).toBeUndefined();
  return connection;
}

beforeAll(async () => {
  roots = makeTempRoots('budget');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
  socket = join(roots.stateDir, 'bundles', BUNDLE, 'relay.sock');
  (await connectTo(roots, BUNDLE, 'bob')).close();
}, 60_000);

afterAll(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
}, 60_000);

describe('the output budget', () => {
  it(
    'drops the stalled subscribers, not the one that reads, when their backlog passes the budget',
    { timeout: 120_000 },
    async () => {
      const pid = relayPid(roots, BUNDLE);
      const stalled = await Promise.all(Array.from({ length: STALLED }, () => eventSubscriber()));
      for (const connection of stalled) connection.socket.pause();
      const reader = await eventSubscriber();
      const alice = await connectTo(roots, BUNDLE, 'alice');
      for (let i = 0; i < SENDS; i += 1) await alice.request('send', { to: ['bob'], body: `${i} ${BODY}` });

      // 80 bodies of 250 KiB are 20 MiB per subscriber, under the 64 MiB cap of each one:
      // only the relay-wide budget can drop them.
      await waitFor(
        () => logEntries().some((entry) => entry.event === 'connection.dropped'),
        30_000,
        'a dropped subscriber',
      );
      const dropped = logEntries().filter((entry) => entry.event === 'connection.dropped');
      expect(dropped.length).toBeGreaterThan(0);
      for (const entry of dropped) {
        expect(entry).toMatchObject({ level: 'warn', reason: 'output_budget' });
        expect(entry.buffered_bytes).toBeGreaterThan(0);
      }

      // The reader saw every message; it was never behind enough to be chosen.
      await waitFor(
        () => reader.frames.filter((frame) => frame.method === 'message.created').length === SENDS,
        30_000,
        'every message.created at the reader',
      );
      expect(reader.closed).toBe(false);

      // Dropped subscribers find their connection closed once they read again.
      for (const connection of stalled) connection.socket.resume();
      await waitFor(
        () => stalled.filter((connection) => connection.closed).length === dropped.length,
        30_000,
        'the dropped subscribers to see their connection closed',
      );

      const after = await alice.request('send', { to: ['bob'], body: 'still serving' });
      expect(after.message_id).toBeTruthy();
      alice.close();
      reader.close();

      // Once the relay is quiet it collects what the dropped subscribers had queued.
      const released = (): LogEntry[] => logEntries().filter((entry) => entry.event === 'memory.released');
      await waitFor(
        () => released().some((entry) => entry.trigger === 'quiet'),
        30_000,
        'a memory release once the relay is quiet',
      );
      expect(released().reduce((sum, entry) => sum + (entry.dropped ?? 0), 0)).toBe(dropped.length);
      expect(relayPid(roots, BUNDLE)).toBe(pid);
      expect(logEntries().filter((entry) => entry.level === 'error')).toEqual([]);
    },
  );
});
