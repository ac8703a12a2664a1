// A relay killed with SIGKILL in the middle of heavy sending loses nothing it answered and
// duplicates nothing: every answered message is journaled once and reaches a watcher once,
// in send order per sender.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import { relayPid, spawnCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'crash';
const CLIENTS = 4;
const PER_CLIENT = 2000;
const WINDOW = 32;
let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('crash');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

async function reconnect(): Promise<RelayClient> {
  for (;;) {
    try {
      return await connectTo(roots, BUNDLE, 'alice');
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Sends PER_CLIENT messages in windows, resending unanswered ones (same request id) after a loss. */
async function sender(k: number, answered: Map<string, string>): Promise<void> {
  let client = await reconnect();
  const done = new Set<number>();
  let lowest = 0;
  while (done.size < PER_CLIENT) {
    while (done.has(lowest)) lowest += 1;
    const batch: number[] = [];
    for (let j = lowest; j < PER_CLIENT && batch.length < WINDOW; j += 1) if (!done.has(j)) batch.push(j);
    const results = await Promise.allSettled(
      batch.map((j) => client.request('send', { to: ['bob'], body: `c${k}-${j}`, request_id: `c${k}-${j}` })),
    );
    let lost = false;
    results.forEach((result, index) => {
      const j = batch[index] as number;
      if (result.status === 'fulfilled') {
        done.add(j);
        answered.set(`c${k}-${j}`, result.value.message_id);
      } else {
        lost = true;
      }
    });
    if (lost) {
      client.close();
      client = await reconnect();
    }
  }
  client.close();
}

it('loses and duplicates nothing across SIGKILLs during 4 clients × 2,000 sends', { timeout: 180_000 }, async () => {
  const watcher = spawnCli(roots, ['watch', '--json', '--bundle', BUNDLE, '--as-session', 'bob']);
  const seen: { id: string; body: string }[] = [];
  let buffer = '';
  watcher.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) if (line) seen.push(JSON.parse(line) as { id: string; body: string });
  });
  try {
    await waitFor(() => relayPid(roots, BUNDLE) !== undefined, 15_000, 'relay started by watch');
    const answered = new Map<string, string>();
    const kills: number[] = [];
    const thresholds = [0.15, 0.45, 0.75].map((f) => Math.floor((f + Math.random() * 0.1) * CLIENTS * PER_CLIENT));
    const killer = (async () => {
      for (const threshold of thresholds) {
        await waitFor(() => answered.size >= threshold || answered.size >= CLIENTS * PER_CLIENT, 120_000, 'progress');
        const pid = relayPid(roots, BUNDLE);
        if (pid === undefined || answered.size >= CLIENTS * PER_CLIENT) return;
        process.kill(pid, 'SIGKILL');
        kills.push(answered.size);
        await waitFor(() => relayPid(roots, BUNDLE) !== pid, 15_000, 'a new relay');
      }
    })();
    await Promise.all(Array.from({ length: CLIENTS }, (_, k) => sender(k, answered)));
    await killer;
    expect(kills.length).toBeGreaterThanOrEqual(2);
    expect(answered.size).toBe(CLIENTS * PER_CLIENT);

    // Journal: each answered message exactly once, no body twice.
    const db = new Database(join(roots.stateDir, 'bundles', BUNDLE, 'journal.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT id, body FROM messages').all() as { id: string; body: string }[];
      expect(rows).toHaveLength(CLIENTS * PER_CLIENT);
      const byBody = new Map(rows.map((r) => [r.body, r.id]));
      expect(byBody.size).toBe(CLIENTS * PER_CLIENT);
      for (const [body, id] of answered) expect(byBody.get(body)).toBe(id);
    } finally {
      db.close();
    }

    // Watcher: every message shown once, and each sender's messages in send order. (Showing
    // once is also watch's own doing: it drops a redelivery it has seen, so the relay's side
    // is checked in the journal below.)
    await waitFor(() => seen.length >= CLIENTS * PER_CLIENT, 60_000, 'watcher to catch up');
    const ids = seen.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(answered.values()));
    for (let k = 0; k < CLIENTS; k += 1) {
      const order = seen.filter((m) => m.body.startsWith(`c${k}-`)).map((m) => Number(m.body.split('-')[1]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }

    // The relay's own record: one delivery to bob per message, every one taken (acked by the
    // watcher), none open or failed — read from the SQLite file, not through the relay.
    const bobDeliveries = (): { state: string; n: number }[] => {
      const journal = new Database(join(roots.stateDir, 'bundles', BUNDLE, 'journal.db'), { readonly: true });
      try {
        return journal
          .prepare("SELECT state, COUNT(*) AS n FROM deliveries WHERE recipient = 'bob' GROUP BY state ORDER BY state")
          .all() as { state: string; n: number }[];
      } finally {
        journal.close();
      }
    };
    await waitFor(
      () => bobDeliveries().some((row) => row.state === 'delivered' && row.n === CLIENTS * PER_CLIENT),
      30_000,
      'every delivery to bob acked',
    );
    expect(bobDeliveries()).toEqual([{ state: 'delivered', n: CLIENTS * PER_CLIENT }]);
    const perMessage = new Database(join(roots.stateDir, 'bundles', BUNDLE, 'journal.db'), { readonly: true });
    try {
      const doubled = perMessage
        .prepare(
          `SELECT COUNT(*) FROM (SELECT m.body FROM deliveries d JOIN messages m ON m.seq = d.message_seq
           WHERE d.recipient = 'bob' GROUP BY m.sender, m.body HAVING COUNT(*) > 1)`,
        )
        .pluck()
        .get();
      expect(doubled).toBe(0);
    } finally {
      perMessage.close();
    }
  } finally {
    watcher.kill('SIGINT');
  }
});
