// The journal's high-water mark: a tiny file beside journal.db naming the journal (a random
// id stored in its meta table) and the last message sequence it committed. SQLite cannot tell
// "empty" from "emptied" (a 0-byte journal.db opens as a fresh database) nor "the WAL ended
// here" from "a damaged WAL frame cut it short" (recovery silently stops at the first bad
// checksum): both drop messages senders were told were accepted. The mark is rewritten in
// place after every committed batch, before any sender hears "accepted" — one small pwrite per
// batch, no fsync (a SIGKILL keeps the page cache; the journal itself is not fsynced per
// commit either) — and the journal refuses to open when it is behind the mark.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import type { Database as Db } from 'better-sqlite3';
import { AgentmuxError } from '../../core/errors.js';

/** What the mark says. */
export interface HighWater {
  journalId: string;
  seq: number;
}

const MAGIC = 'agentmux-journal-high-water 1';
const SEQ_WIDTH = 20;
const OPEN_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW;
const RECORD = /^agentmux-journal-high-water 1 ([0-9a-f]{32}) (\d{20})\n$/;

/** The mark file, held open for cheap in-place rewrites. */
export class HighWaterMark {
  private fd: number | undefined;
  private recorded: HighWater | undefined;

  private constructor(
    readonly path: string,
    fd: number,
    /** What the file said when opened: undefined when new or empty, 'damaged' when unreadable. */
    readonly found: HighWater | 'damaged' | undefined,
  ) {
    this.fd = fd;
    this.recorded = found === 'damaged' ? undefined : found;
  }

  /** Opens (creating, mode 0600, never through a symlink) the mark at `path`. */
  static open(path: string): HighWaterMark {
    const fd = openSync(path, OPEN_FLAGS, 0o600);
    try {
      return new HighWaterMark(path, fd, parse(readAll(fd)));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Rewrites the mark when `seq` (or the journal) differs from what it says. */
  record(mark: HighWater): void {
    if (this.fd === undefined) return;
    if (this.recorded?.journalId === mark.journalId && this.recorded.seq === mark.seq) return;
    const text = `${MAGIC} ${mark.journalId} ${String(mark.seq).padStart(SEQ_WIDTH, '0')}\n`;
    // Fixed width, written at offset 0 in one call: a reader sees the old or the new record.
    writeSync(this.fd, text, 0, 'utf8');
    this.recorded = { ...mark };
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

function readAll(fd: number): string {
  const buffer = Buffer.alloc(256);
  const length = readSync(fd, buffer, 0, buffer.length, 0);
  return buffer.subarray(0, length).toString('utf8');
}

function parse(text: string): HighWater | 'damaged' | undefined {
  if (text === '') return undefined;
  const match = RECORD.exec(text);
  if (match === null) return 'damaged';
  return { journalId: match[1] ?? '', seq: Number(match[2]) };
}

/** The newest sequence ever assigned (AUTOINCREMENT keeps it even if rows go). */
export function lastSeq(db: Db): number {
  const hasSequence = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get() !== undefined;
  if (!hasSequence) return 0;
  return (
    (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'messages'`).pluck().get() as number | undefined) ?? 0
  );
}

function storedJournalId(db: Db): string | undefined {
  const hasMeta = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get() !== undefined;
  if (!hasMeta) return undefined;
  return db.prepare(`SELECT value FROM meta WHERE key = 'journal_id'`).pluck().get() as string | undefined;
}

/** The journal's id (meta `journal_id`), created on first open. */
export function ensureJournalId(db: Db): string {
  const stored = storedJournalId(db);
  if (stored !== undefined) return stored;
  const id = randomBytes(16).toString('hex');
  db.prepare(`INSERT INTO meta (key, value) VALUES ('journal_id', ?)`).run(id);
  return id;
}

/**
 * Throws `runtime_journal_corrupt` when the database at `path` is not the journal the mark
 * describes (emptied, replaced) or ends before the mark's sequence (a WAL cut short). Runs
 * before anything is written, so a refused journal stays as found.
 */
export function checkHighWater(db: Db, path: string, mark: HighWaterMark): void {
  const found = mark.found;
  if (found === undefined) return;
  if (found === 'damaged') throw refusal(path, mark, `its high-water mark ${mark.path} is unreadable`, {});
  const journalId = storedJournalId(db);
  if (journalId !== found.journalId) {
    throw refusal(
      path,
      mark,
      journalId === undefined
        ? `it is empty, but its high-water mark says it held messages up to #${found.seq}`
        : `it is not the journal its high-water mark describes (id ${journalId}, expected ${found.journalId})`,
      { journal_id: journalId ?? null, expected_journal_id: found.journalId, expected_seq: found.seq },
    );
  }
  const seq = lastSeq(db);
  if (seq < found.seq) {
    throw refusal(
      path,
      mark,
      `it ends at message #${seq} but messages up to #${found.seq} were accepted (a damaged or cut-short WAL?)`,
      { seq, expected_seq: found.seq },
    );
  }
}

function refusal(path: string, mark: HighWaterMark, why: string, details: Record<string, unknown>): AgentmuxError {
  return new AgentmuxError('runtime_journal_corrupt', `refusing journal ${path}: ${why}`, {
    details: { path, high_water: mark.path, ...details },
    hint:
      'messages the relay accepted are missing from it. Restore journal.db (with journal.db-wal) from a backup, ' +
      `or, to start with an empty journal, move ${path}, ${path}-wal and ${mark.path} aside`,
  });
}
