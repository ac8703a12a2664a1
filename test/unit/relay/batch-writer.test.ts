// The journal batcher: one commit per event-loop turn, and writes that fail alone. Commits
// are observed through a second SQLite connection, which sees only committed data.
import { openSync, readSync, closeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { JournalBatcher } from '../../../src/relay/journal/batch-writer.js';
import type { Journal } from '../../../src/relay/journal/journal.js';
import { newMessage, openTempJournal, type TempJournal } from './fixtures.js';

let temp: TempJournal;
let batchers: JournalBatcher[] = [];
let readers: Database.Database[] = [];

/** A batcher that afterEach closes (it owns a checkpoint timer). */
function batcherFor(journal: Journal): JournalBatcher {
  const batcher = new JournalBatcher(journal);
  batchers.push(batcher);
  return batcher;
}

beforeEach(() => {
  temp = openTempJournal();
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const batcher of batchers) batcher.close();
  batchers = [];
  for (const reader of readers) reader.close();
  readers = [];
  temp.cleanup();
});

/** A second, read-only connection to the journal file: it sees only what was committed. */
function committedIds(path: string): () => Set<string> {
  const reader = new Database(path, { readonly: true, fileMustExist: true });
  readers.push(reader);
  const query = reader.prepare('SELECT id FROM messages');
  return () => new Set(query.pluck().all() as string[]);
}

describe('JournalBatcher', () => {
  it('commits every write of one turn in a single transaction', async () => {
    const committed = committedIds(temp.path);
    const batcher = batcherFor(temp.journal);
    const records = Array.from({ length: 200 }, (_, n) => newMessage({ sender: 'alice', to: ['bob'], body: `m${n}` }));
    // While the batch runs, nothing of it is committed yet: not even the writes before this one.
    const seenDuringBatch: number[] = [];
    const writes = records.map((record, n) =>
      batcher.write(() => {
        if (n === 199) seenDuringBatch.push(records.filter((r) => committed().has(r.id)).length);
        return temp.journal.insertMessage(record);
      }),
    );
    expect(committed().size).toBe(0);
    const seqs = await Promise.all(writes);
    expect(seenDuringBatch).toEqual([0]);
    expect(committed().size).toBe(200);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(200);

    // The next turn is a transaction of its own, after the first one committed.
    let sawFirstBatch = false;
    const next = newMessage({ sender: 'alice', to: ['bob'] });
    await batcher.write(() => {
      sawFirstBatch = records.every((r) => committed().has(r.id));
      return temp.journal.insertMessage(next);
    });
    expect(sawFirstBatch).toBe(true);
    expect(committed().has(next.id)).toBe(true);
  });

  it('resolves only once its batch is committed, as another connection sees it', async () => {
    const committed = committedIds(temp.path);
    const batcher = batcherFor(temp.journal);
    const first = newMessage({ sender: 'alice', to: ['bob'] });
    const last = newMessage({ sender: 'alice', to: ['bob'] });
    const visibleAtResolve: boolean[] = [];
    // `first` resolves in the same batch as `last`: when its promise settles, `last` (written
    // after it) must be committed too, or it resolved before the commit.
    const done = [
      batcher
        .write(() => temp.journal.insertMessage(first))
        .then(() => visibleAtResolve.push(committed().has(last.id))),
      batcher.write(() => temp.journal.insertMessage(last)),
    ];
    await Promise.all(done);
    expect(visibleAtResolve).toEqual([true]);
    const other = temp.reopen();
    expect(other.getMessage(first.id)?.id).toBe(first.id);
  });

  it('fails one bad write without undoing the others in the same batch', async () => {
    const batcher = batcherFor(temp.journal);
    const first = newMessage({ sender: 'alice', to: ['bob'], body: 'first' });
    const ours = new AgentmuxError('validation_unknown_message', 'no such parent');
    const results = await Promise.allSettled([
      batcher.write(() => temp.journal.insertMessage(first)),
      // Inserts one message, then hits the UNIQUE constraint: neither insert may survive.
      batcher.write(() => {
        temp.journal.insertMessage(newMessage({ sender: 'carol', to: ['bob'], body: 'partial' }));
        return temp.journal.insertMessage({ ...first, body: 'duplicate' });
      }),
      batcher.write(() => {
        throw new RangeError('not a database error');
      }),
      batcher.write(() => {
        throw ours;
      }),
      batcher.write(() => temp.journal.insertMessage(newMessage({ sender: 'alice', to: ['bob'], body: 'last' }))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as AgentmuxError) : undefined));
    expect(reasons[1]?.code).toBe('runtime_journal_failed');
    expect(reasons[2]?.code).toBe('runtime_journal_failed');
    expect(reasons[2]?.cause).toBeInstanceOf(RangeError);
    expect(reasons[3]).toBe(ours);
    expect(temp.journal.inbox('bob', { unreadOnly: false, limit: 10 }).map((m) => m.body)).toEqual(['first', 'last']);
  });

  it('retries a batch write by write when its transaction fails, and reports a broken journal per write', async () => {
    const batcher = batcherFor(temp.journal);
    const spy = vi.spyOn(temp.journal, 'transaction').mockImplementationOnce(() => {
      throw new Error('database is locked');
    });
    await expect(Promise.all([batcher.write(() => 1), batcher.write(() => 2)])).resolves.toEqual([1, 2]);

    spy.mockImplementation(() => {
      throw new Error('disk I/O error');
    });
    const results = await Promise.allSettled([batcher.write(() => 1), batcher.write(() => 2)]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'runtime_journal_failed' });
    }
    spy.mockRestore();
    await expect(batcher.write(() => 3)).resolves.toBe(3);
  });

  it('flushes synchronously on demand and refuses writes after close', async () => {
    const batcher = batcherFor(temp.journal);
    const record = newMessage({ sender: 'alice', to: ['bob'] });
    const pending = batcher.write(() => temp.journal.insertMessage(record));
    batcher.flush();
    expect(temp.journal.getMessage(record.id)).toBeDefined();
    await pending;

    const late = newMessage({ sender: 'alice', to: ['bob'] });
    const beforeClose = batcher.write(() => temp.journal.insertMessage(late));
    batcher.close();
    expect(temp.journal.getMessage(late.id)).toBeDefined();
    await beforeClose;
    await expect(batcher.write(() => 1)).rejects.toBeInstanceOf(AgentmuxError);
    await expect(batcher.write(() => 1)).rejects.toMatchObject({ code: 'relay_shutting_down' });
  });

  it('checkpoints under steady writes, without waiting for the relay to go idle', async () => {
    const batcher = batcherFor(temp.journal);
    const restartsAtStart = walRestarts(temp.journal.walPath);
    const written: string[] = [];
    // One commit every 20 ms: never idle for long, and far fewer writes than a burst. The WAL
    // restarts from its start (its header's checkpoint counter moves) only once a checkpoint
    // copied all of it; until then it grows with every commit.
    for (let turn = 0; walRestarts(temp.journal.walPath) === restartsAtStart; turn += 1) {
      if (turn > 500) throw new Error('no checkpoint in 500 steady commits');
      const record = newMessage({ sender: 'alice', to: ['bob'], body: `steady ${turn}` });
      await batcher.write(() => temp.journal.insertMessage(record));
      written.push(record.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(written.every((id) => temp.journal.getMessage(id) !== undefined)).toBe(true);
  });
});

/** The WAL header's checkpoint sequence number: SQLite bumps it each time the WAL restarts. */
function walRestarts(walPath: string): number {
  const header = Buffer.alloc(32);
  const fd = openSync(walPath, 'r');
  try {
    if (readSync(fd, header, 0, 32, 0) < 32) return -1;
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}
