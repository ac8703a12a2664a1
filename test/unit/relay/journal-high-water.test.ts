// The journal's high-water mark (issue 15.10): a journal that lost messages senders were told
// were accepted (emptied to 0 bytes, or a WAL cut short by a damaged frame after a crash) is
// refused with runtime_journal_corrupt instead of silently starting behind; healthy restarts,
// crash images without damage and rolled-back batches are not.
import { copyFileSync, existsSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { highWaterPath, Journal } from '../../../src/relay/journal/journal.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { BUNDLE, newMessage } from './fixtures.js';

let roots: TempRoots;
const open: Journal[] = [];
beforeEach(() => {
  roots = makeTempRoots('high-water');
});
afterEach(() => {
  for (const journal of open.splice(0)) journal.close();
  roots.cleanup();
});

function openJournal(path: string): Journal {
  const journal = Journal.open(path, BUNDLE);
  open.push(journal);
  return journal;
}

function refusal(path: string): AgentmuxError {
  try {
    openJournal(path);
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

/** `count` messages, each committed in its own batch as the relay's batcher does. */
function accept(journal: Journal, count: number): number {
  let seq = 0;
  for (let i = 0; i < count; i += 1) {
    seq = journal.transaction(() => journal.insertMessage(newMessage({ sender: 'alice', to: ['bob'] })));
  }
  return seq;
}

/** What a SIGKILL leaves on disk: the files as they are right now, copied while the journal is open. */
function crashImage(path: string, into: string): string {
  const image = join(roots.root, into);
  copyFileSync(path, image);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${image}-wal`);
  copyFileSync(highWaterPath(path), highWaterPath(image));
  return image;
}

/** Messages SQLite itself recovers from a database file + WAL, read without agentmux. */
function recoveredCount(image: string, copyName: string): number {
  const copy = join(roots.root, copyName);
  copyFileSync(image, copy);
  if (existsSync(`${image}-wal`)) copyFileSync(`${image}-wal`, `${copy}-wal`);
  const db = new Database(copy);
  try {
    return db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('journal high-water mark', () => {
  it('refuses an emptied (0-byte) journal.db that had history, and leaves it as found', () => {
    const path = join(roots.root, 'journal.db');
    const journal = openJournal(path);
    const last = accept(journal, 20);
    journal.close();
    truncateSync(path, 0);
    const error = refusal(path);
    expect(error.code).toBe('runtime_journal_corrupt');
    expect(error.message).toContain(`held messages up to #${last}`);
    expect(error.hint).toContain('move');
    expect(error.details).toMatchObject({ path, high_water: highWaterPath(path), expected_seq: last });
    expect(statSync(path).size).toBe(0);
  });

  it('refuses a journal whose WAL lost its last committed batch to a flipped byte after a crash', () => {
    const path = join(roots.root, 'journal.db');
    const journal = openJournal(path);
    const last = accept(journal, 30);
    const image = crashImage(path, 'crashed.db');
    const wal = readFileSync(`${image}-wal`);
    expect(wal.length).toBeGreaterThan(32);
    // Flip one byte inside the last frame (the commit frame of the last batch).
    wal[wal.length - 100] = (wal[wal.length - 100] ?? 0) ^ 0xff;
    writeFileSync(`${image}-wal`, wal);
    // SQLite alone recovers fewer messages than were accepted, without any error...
    const recovered = recoveredCount(image, 'plain-sqlite.db');
    expect(recovered).toBeLessThan(last);
    // ...and the journal refuses to start behind its mark.
    const error = refusal(image);
    expect(error.code).toBe('runtime_journal_corrupt');
    expect(error.details).toMatchObject({ seq: recovered, expected_seq: last });
    expect(error.message).toContain(`ends at message #${recovered} but messages up to #${last} were accepted`);
  });

  it('opens a crash image without damage, and a cleanly closed journal, with every message', () => {
    const path = join(roots.root, 'journal.db');
    const journal = openJournal(path);
    const last = accept(journal, 25);
    const image = crashImage(path, 'crashed-clean.db');
    expect(openJournal(image).messageCount()).toBe(last);
    journal.close();
    const reopened = openJournal(path);
    expect(reopened.messageCount()).toBe(last);
    expect(accept(reopened, 1)).toBe(last + 1);
  });

  it('does not move the mark for a batch that rolled back', () => {
    const path = join(roots.root, 'journal.db');
    const journal = openJournal(path);
    const last = accept(journal, 3);
    expect(() =>
      journal.transaction(() => {
        journal.insertMessage(newMessage({ sender: 'alice', to: ['bob'] }));
        throw new Error('the batch fails');
      }),
    ).toThrow('the batch fails');
    const image = crashImage(path, 'after-rollback.db');
    expect(openJournal(image).messageCount()).toBe(last);
  });

  it('refuses a journal.db replaced by another journal, and an unreadable mark', () => {
    const path = join(roots.root, 'journal.db');
    const journal = openJournal(path);
    accept(journal, 2);
    journal.close();
    const other = join(roots.root, 'other.db');
    openJournal(other).close();
    copyFileSync(other, path);
    expect(refusal(path).message).toContain('is not the journal its high-water mark describes');
    writeFileSync(highWaterPath(path), 'garbage\n');
    expect(refusal(path).message).toContain('is unreadable');
  });

  it('refuses a journal.db that is a symlink, leaving the file it points to alone', () => {
    const victim = join(roots.root, 'victim.db');
    writeFileSync(victim, '');
    const path = join(roots.root, 'journal.db');
    symlinkSync(victim, path);
    expect(refusal(path).code).toBe('runtime_insecure_path');
    expect(statSync(victim).size).toBe(0);
  });
});
