// Groups every journal write requested in one event-loop turn into one SQLite transaction:
// one commit per turn instead of one per message is what makes durable sends fast. Writes
// share the transaction without savepoints (savepoints halved throughput); a batch that
// fails is replayed write by write so only the failing write reports an error.
import { AgentmuxError } from '../../core/errors.js';
import type { Journal } from './journal.js';

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const CHECKPOINT_INTERVAL_MS = 250;
const CHECKPOINT_IDLE_MS = 200;
const CHECKPOINT_WRITES = 20_000;

/** Queues writes and commits them together at the end of the current turn. */
export class JournalBatcher {
  private readonly journal: Journal;
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private closed = false;
  private writesSinceCheckpoint = 0;
  private lastFlush = 0;
  private readonly checkpointTimer: NodeJS.Timeout;

  constructor(journal: Journal) {
    this.journal = journal;
    // Checkpoint when the relay is quiet, or at least every CHECKPOINT_WRITES under load.
    this.checkpointTimer = setInterval(() => {
      try {
        this.journal.indexForSearch();
      } catch {
        // retried on the next tick; a search indexes what it needs itself
      }
      if (this.writesSinceCheckpoint === 0) return;
      if (Date.now() - this.lastFlush < CHECKPOINT_IDLE_MS && this.writesSinceCheckpoint < CHECKPOINT_WRITES) return;
      this.writesSinceCheckpoint = 0;
      try {
        this.journal.checkpoint();
      } catch {
        // retried on the next tick; the WAL stays valid meanwhile
      }
    }, CHECKPOINT_INTERVAL_MS);
    this.checkpointTimer.unref();
  }

  /** Runs `work` inside the next batch; resolves after the batch has committed. */
  write<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new AgentmuxError('relay_shutting_down', 'the journal is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now (also used at shutdown). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.lastFlush = Date.now();
    this.writesSinceCheckpoint += batch.length;
    let values: unknown[];
    try {
      values = this.journal.transaction(() => batch.map((item) => item.work()));
    } catch {
      // Rare: one write failed and rolled the batch back. Redo each write in its own
      // transaction so only the failing one reports an error.
      this.flushOneByOne(batch);
      return;
    }
    batch.forEach((item, index) => item.resolve(values[index]));
  }

  private flushOneByOne(batch: PendingWrite[]): void {
    for (const item of batch) {
      let value: unknown;
      try {
        value = this.journal.transaction(item.work);
      } catch (error) {
        item.reject(
          error instanceof AgentmuxError
            ? error
            : new AgentmuxError('runtime_journal_failed', `journal write failed: ${String(error)}`, { cause: error }),
        );
        continue;
      }
      item.resolve(value);
    }
  }

  /** Commits what is queued and refuses later writes. */
  close(): void {
    this.flush();
    clearInterval(this.checkpointTimer);
    this.closed = true;
  }
}
