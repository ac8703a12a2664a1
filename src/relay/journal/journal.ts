// The durable message journal (SQLite in WAL mode). Everything the relay accepts is here
// before the sender hears "accepted"; delivery state and read receipts live beside it.
import { lstatSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { AgentmuxError } from '../../core/errors.js';
import type { Delivery, DeliveryState, HistoryMessage, InboxMessage, Message } from '../../core/protocol/index.js';
import { checkHighWater, ensureJournalId, HighWaterMark, lastSeq } from './high-water.js';
import { JOURNAL_DDL, JOURNAL_SCHEMA_VERSION } from './schema.js';
import { SearchIndex } from './search-index.js';
import { prepareStatements } from './statements.js';

/** The journal connection's SQLite page cache, in KiB. */
export const JOURNAL_CACHE_KIB = 2048;

/** The size the WAL file is truncated to when it restarts after a checkpoint. */
export const JOURNAL_WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/** A message ready to be journaled, with its deduplicated recipient list. */
export interface NewMessage {
  id: string;
  sender: string;
  to: string[];
  cc: string[];
  recipients: string[];
  subject: string | null;
  body: string;
  replyTo: string | null;
  thread: string;
  requestId: string | null;
  fingerprint: string | null;
  createdAt: string;
}

/** One change to one recipient's delivery record. */
export interface DeliveryUpdate {
  seq: number;
  recipient: string;
  state: DeliveryState;
  reason: string | null;
  at: string;
  /** Set read_at (only when it is still null). */
  read?: boolean;
}

/** A delivery that has not reached a final state. */
export interface OpenDelivery {
  recipient: string;
  seq: number;
  state: DeliveryState;
}

/** A session's last settled state as supervision saw it, and its event counter (dedup across restarts). */
export interface SupervisionRecord {
  session: string;
  state: string;
  /** When that state began (epoch ms). */
  since: number;
  /** When the current turn began (epoch ms), while busy or waiting. */
  turn_started: number | null;
  /** Transitions that produced an event so far; the next event's request id uses counter + 1. */
  counter: number;
}

/** History filters; `participant` limits results to messages that session sent or received. */
export interface SearchOptions {
  match?: string;
  thread?: string;
  participant?: string;
  limit: number;
}

interface MessageRow {
  seq: number;
  id: string;
  sender: string;
  recipients: string;
  cc: string;
  subject: string | null;
  body: string;
  reply_to: string | null;
  thread: string;
  request_id: string | null;
  fingerprint: string | null;
  created_at: string;
}

interface InboxRow extends MessageRow {
  state: DeliveryState;
  read_at: string | null;
}

/** SQLite-backed journal; one instance per relay, used from one thread. */
export class Journal {
  readonly bundle: string;
  private readonly db: Db;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly mark: HighWaterMark;
  private readonly journalId: string;
  private readonly searchIndex: SearchIndex;
  /** The newest sequence inserted, committed or not; `committedSeq` once its commit is done. */
  private insertedSeq: number;
  private committedSeq: number;
  /** Runs its argument in a transaction; built once (better-sqlite3 builds ~2 KB of wrappers per call). */
  private readonly runInTransaction: (work: () => unknown) => unknown;

  private constructor(db: Db, bundle: string, mark: HighWaterMark, journalId: string) {
    this.db = db;
    this.bundle = bundle;
    this.statements = prepareStatements(db);
    this.runInTransaction = db.transaction((work: () => unknown) => work());
    this.mark = mark;
    this.journalId = journalId;
    this.committedSeq = lastSeq(db);
    this.insertedSeq = this.committedSeq;
    this.searchIndex = new SearchIndex(db, this.committedSeq);
    this.recordHighWater();
  }

  /**
   * Opens (creating if needed) the journal; refuses a damaged database rather than guessing,
   * and one that is behind its high-water mark (`<path>.high-water`, see high-water.ts).
   */
  static open(path: string, bundle: string, options: { synchronous?: 'NORMAL' | 'FULL' } = {}): Journal {
    let db: Db | undefined;
    let mark: HighWaterMark | undefined;
    try {
      refuseSymlink(path);
      mark = HighWaterMark.open(highWaterPath(path));
      db = new Database(path);
      // Before anything is written (even the WAL header): a journal behind its mark stays as found.
      checkHighWater(db, path, mark);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      db.pragma('busy_timeout = 5000');
      // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the relay's writes
      // touch only the right edge of a few indexes, and reads are served well enough by the
      // OS page cache, so those 16 MB were mostly the relay's RSS.
      db.pragma(`cache_size = -${JOURNAL_CACHE_KIB}`);
      // Checkpoints run on an idle timer (checkpoint()), not inside whichever commit crosses
      // the WAL threshold: an fsync in the middle of a send was the p99 latency spike.
      db.pragma('wal_autocheckpoint = 0');
      // A WAL that grew during a burst is cut back to this once a checkpoint lets it restart.
      db.pragma(`journal_size_limit = ${JOURNAL_WAL_LIMIT_BYTES}`);
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
      db.exec(JOURNAL_DDL);
      const version = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get() as
        string | undefined;
      if (version === undefined) {
        db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(JOURNAL_SCHEMA_VERSION));
      } else if (Number(version) > JOURNAL_SCHEMA_VERSION) {
        throw new Error(`journal schema ${version} is newer than this agentmux understands`);
      }
      return new Journal(db, bundle, mark, ensureJournalId(db));
    } catch (error) {
      db?.close();
      mark?.close();
      if (error instanceof AgentmuxError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const corrupt = /malformed|not a database|quick_check|corrupt|newer/i.test(message);
      throw new AgentmuxError(
        corrupt ? 'runtime_journal_corrupt' : 'runtime_journal_failed',
        `cannot open journal ${path}: ${message}`,
        { details: { path }, cause: error },
      );
    }
  }

  /**
   * Runs `work` in one transaction (the relay batches a whole event-loop turn into one); after
   * the outermost commit the high-water mark moves to the newest sequence it holds.
   */
  transaction<T>(work: () => T): T {
    const outermost = !this.db.inTransaction;
    const before = this.insertedSeq;
    let result: T;
    try {
      result = this.runInTransaction(work) as T;
    } catch (error) {
      this.insertedSeq = before; // rolled back: those sequences were never committed
      throw error;
    }
    if (outermost) this.recordHighWater();
    return result;
  }

  /** Inserts one message with a `queued` delivery per recipient; returns its sequence. */
  insertMessage(message: NewMessage): number {
    const s = this.statements;
    const info = s.insertMessage.run(
      message.id,
      message.sender,
      JSON.stringify(message.to),
      JSON.stringify(message.cc),
      message.subject,
      message.body,
      message.replyTo,
      message.thread,
      message.requestId,
      message.fingerprint,
      message.createdAt,
    );
    const seq = Number(info.lastInsertRowid);
    for (const recipient of message.recipients) {
      s.insertDelivery.run(recipient, seq, 'queued', null, message.createdAt);
    }
    this.insertedSeq = Math.max(this.insertedSeq, seq);
    if (!this.db.inTransaction) this.recordHighWater();
    return seq;
  }

  /**
   * Adds a recipient to a journaled message (a second copy bridged from another host); false
   * when that recipient already has one.
   */
  addRecipient(seq: number, recipient: string, at: string): boolean {
    return this.statements.addDelivery.run(recipient, seq, 'queued', null, at).changes > 0;
  }

  /** Applies one delivery change. */
  updateDelivery(update: DeliveryUpdate): void {
    this.statements.updateDelivery.run(update.state, update.reason, update.at, update.recipient, update.seq);
    if (update.read) this.statements.markRead.run(update.at, update.recipient, update.seq);
  }

  /** Sets read_at for one recipient's copy, if not already set. */
  markRead(recipient: string, seq: number, at: string): void {
    this.statements.markRead.run(at, recipient, seq);
  }

  /** The message a sender already sent with this request id, if any. */
  findByRequest(sender: string, requestId: string): { message: Message; fingerprint: string | null } | undefined {
    const row = this.statements.byRequest.get(sender, requestId) as MessageRow | undefined;
    return row && { message: this.toMessage(row), fingerprint: row.fingerprint };
  }

  /** A message by id or sequence. */
  getMessage(ref: string | number): Message | undefined {
    const row = (typeof ref === 'number' ? this.statements.bySeq.get(ref) : this.statements.byId.get(ref)) as
      MessageRow | undefined;
    return row && this.toMessage(row);
  }

  /** Every recipient's delivery record of one message. */
  deliveriesOf(seq: number, order: readonly string[] = []): Delivery[] {
    const rows = this.statements.deliveriesOf.all(seq) as Delivery[];
    const rank = (recipient: string): number => {
      const index = order.indexOf(recipient);
      return index === -1 ? order.length : index;
    };
    return rows.sort((a, b) => rank(a.recipient) - rank(b.recipient));
  }

  /** One recipient's delivery record. */
  deliveryOf(seq: number, recipient: string): Delivery | undefined {
    return this.statements.deliveryOf.get(seq, recipient) as Delivery | undefined;
  }

  /** Deliveries still in flight, in journal order. */
  openDeliveries(): OpenDelivery[] {
    return this.statements.openDeliveries.all() as OpenDelivery[];
  }

  /** One recipient's open deliveries after sequence `after`, oldest first, at most `limit`. */
  openDeliveriesOf(recipient: string, after: number, limit: number): OpenDelivery[] {
    return this.statements.openDeliveriesOf.all(recipient, after, limit) as OpenDelivery[];
  }

  /** How many open deliveries each recipient has, and the newest one's sequence. */
  openCountsByRecipient(): Map<string, { count: number; last: number }> {
    const rows = this.statements.openCountsByRecipient.all() as { recipient: string; n: number; last: number }[];
    return new Map(rows.map((row) => [row.recipient, { count: row.n, last: row.last }]));
  }

  /** How many copies of one message are not final yet. */
  openCopiesOf(seq: number): number {
    return this.statements.openCopiesOf.pluck().get(seq) as number;
  }

  /** Puts every delivery a previous run had in flight (`delivering`) back in the queue. */
  requeueInFlight(at: string): number {
    return this.statements.requeueInFlight.run(at).changes;
  }

  /** Unread counts per recipient. */
  unreadCounts(): Map<string, number> {
    const rows = this.statements.unreadCounts.all() as { recipient: string; n: number }[];
    return new Map(rows.map((row) => [row.recipient, row.n]));
  }

  /** The newest `limit` messages addressed to `recipient`, oldest first. */
  inbox(recipient: string, options: { unreadOnly: boolean; limit: number }): InboxMessage[] {
    const statement = options.unreadOnly ? this.statements.inboxUnread : this.statements.inboxAll;
    const rows = statement.all(recipient, options.limit) as InboxRow[];
    return rows.reverse().map((row) => ({ ...this.toMessage(row), state: row.state, read_at: row.read_at }));
  }

  /** History: newest `limit` matches, returned oldest first, each with its deliveries. */
  search(options: SearchOptions): HistoryMessage[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.match !== undefined) {
      this.indexForSearch();
      where.push(`m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)`);
      params.push(options.match);
    }
    if (options.thread !== undefined) {
      where.push(`m.thread = ?`);
      params.push(options.thread);
    }
    if (options.participant !== undefined) {
      where.push(
        `(m.sender = ? OR EXISTS (SELECT 1 FROM deliveries d WHERE d.message_seq = m.seq AND d.recipient = ?))`,
      );
      params.push(options.participant, options.participant);
    }
    const sql = `SELECT m.* FROM messages m ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.seq DESC LIMIT ?`;
    params.push(options.limit);
    let rows: MessageRow[];
    try {
      rows = this.db.prepare(sql).all(...params) as MessageRow[];
    } catch (error) {
      // FTS5 reports bad queries as plain SQLITE_ERROR ("unterminated string", "no such column").
      if (options.match !== undefined && (error as { code?: unknown }).code === 'SQLITE_ERROR') {
        throw new AgentmuxError('validation_invalid_search', `invalid search query: ${String(error)}`);
      }
      throw error;
    }
    return rows.reverse().map((row) => {
      const message = this.toMessage(row);
      return { ...message, deliveries: this.deliveriesOf(row.seq, [...message.to, ...message.cc]) };
    });
  }

  /**
   * Replies to a question: later messages from one of `senders` that answer it (`reply_to`) or
   * continue its thread, oldest first, each with its deliveries.
   */
  replies(question: Message, senders: readonly string[], limit = 1000): HistoryMessage[] {
    const rows = this.db
      .prepare(
        `SELECT m.* FROM messages m WHERE m.seq > ? AND (m.reply_to = ? OR m.thread = ?)
         AND m.sender IN (SELECT value FROM json_each(?)) ORDER BY m.seq LIMIT ?`,
      )
      .all(question.seq, question.id, question.thread, JSON.stringify(senders), limit) as MessageRow[];
    return rows.map((row) => {
      const message = this.toMessage(row);
      return { ...message, deliveries: this.deliveriesOf(row.seq, [...message.to, ...message.cc]) };
    });
  }

  /** Every session's supervision record. */
  supervisionRecords(): SupervisionRecord[] {
    return this.db
      .prepare(`SELECT session, state, since, turn_started, counter FROM supervision`)
      .all() as SupervisionRecord[];
  }

  /** Saves a session's supervision record (inside the caller's transaction). */
  saveSupervision(record: SupervisionRecord, at: string): void {
    this.db
      .prepare(
        `INSERT INTO supervision (session, state, since, turn_started, counter, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (session) DO UPDATE SET state = excluded.state, since = excluded.since,
           turn_started = excluded.turn_started, counter = excluded.counter, updated_at = excluded.updated_at`,
      )
      .run(record.session, record.state, record.since, record.turn_started, record.counter, at);
  }

  /** Senders of the newest `limit` messages of a thread, newest first. */
  threadSenders(thread: string, limit: number): string[] {
    return this.statements.threadSenders.pluck().all(thread, limit) as string[];
  }

  /** Total messages journaled. */
  messageCount(): number {
    return this.statements.countMessages.pluck().get() as number;
  }

  /** Records what a session told us about itself (its agent's conversation id). */
  setConversationId(session: string, conversationId: string, at: string): void {
    this.statements.upsertFact.run(session, conversationId, at);
  }

  /** The conversation id recorded for a session. */
  conversationId(session: string): string | undefined {
    return (
      (this.statements.getFact.get(session) as { conversation_id: string | null } | undefined)?.conversation_id ??
      undefined
    );
  }

  /**
   * Adds the messages committed since the last call to the full-text index (deferred from
   * the send path, see search-index.ts). Runs on the batcher's timer and before a search.
   */
  indexForSearch(): void {
    if (this.db.inTransaction) return;
    this.searchIndex.catchUp(this.committedSeq);
  }

  /** The journal's write-ahead log file. */
  get walPath(): string {
    return `${this.db.name}-wal`;
  }

  /** Copies the WAL into the database without blocking writers (PASSIVE). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.indexForSearch();
    } catch {
      // indexed on the next open's first search instead
    }
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // a checkpoint is an optimisation; the WAL is replayed on the next open
    }
    this.db.close();
    this.mark.close();
  }

  // A failed mark write must not fail a committed batch: the mark then only lags (and a
  // lagging mark can miss damage, never invent it).
  private recordHighWater(): void {
    this.committedSeq = this.insertedSeq;
    try {
      this.mark.record({ journalId: this.journalId, seq: this.committedSeq });
    } catch {
      // retried after the next commit
    }
  }

  private toMessage(row: MessageRow): Message {
    return {
      id: row.id,
      seq: row.seq,
      bundle: this.bundle,
      from: row.sender,
      to: JSON.parse(row.recipients) as string[],
      cc: JSON.parse(row.cc) as string[],
      subject: row.subject,
      body: row.body,
      reply_to: row.reply_to,
      thread: row.thread,
      request_id: row.request_id,
      created_at: row.created_at,
    };
  }
}

// SQLite follows symlinks; a journal in the runtime dir is never one.
function refuseSymlink(path: string): void {
  if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return;
  throw new AgentmuxError('runtime_insecure_path', `refusing journal ${path}: it is a symbolic link`, {
    details: { path },
  });
}

/** The high-water mark file of the journal at `path`. */
export function highWaterPath(path: string): string {
  return `${path}.high-water`;
}
