// Groups every journal write requested in one event-loop turn into one SQLite transaction:
// one commit per turn instead of one per message is what makes durable sends fast. Writes
// share the transaction without savepoints (savepoints halved throughput); a batch that
// fails is replayed write by write so only the failing write reports an error.
import { open, type FileHandle } from 'node:fs/promises';
import { AgentmuxError } from '../../core/errors.js';
import type { Journal } from './journal.js';

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const CHECKPOINT_INTERVAL_MS = 250;

/** Queues writes and commits them together at the end of the current turn. */
export class JournalBatcher {
  private readonly journal: Journal;
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private closed = false;
  private writesSinceCheckpoint = 0;
  private checkpointing = false;
  /** The WAL, held open for the syncs before checkpoints. */
  private wal: FileHandle | undefined;
  private readonly checkpointTimer: NodeJS.Timeout;

  constructor(journal: Journal) {
    this.journal = journal;
    this.checkpointTimer = setInterval(() => {
      try {
        this.journal.indexForSearch();
      } catch {
        // retried on the next tick; a search indexes what it needs itself
      }
      this.checkpointSoon();
    }, CHECKPOINT_INTERVAL_MS);
    this.checkpointTimer.unref();
  }

  // Every tick that saw writes, also under steady load: the WAL then holds at most a tick's
  // commits, instead of growing (to 1.4 GB under steady sends) until the relay is idle and
  // stalling it for a second. Most of a checkpoint's time is its fsync of the WAL (with
  // synchronous=NORMAL commits leave their frames to the OS): that fsync runs first on the
  // libuv pool, so the checkpoint on the relay's thread finds little left to flush.
  private checkpointSoon(): void {
    if (this.writesSinceCheckpoint === 0 || this.checkpointing) return;
    this.writesSinceCheckpoint = 0;
    this.checkpointing = true;
    void this.syncWal().then(() => {
      this.checkpointing = false;
      if (this.closed) {
        this.releaseWal();
        return;
      }
      try {
        this.journal.checkpoint();
      } catch {
        // retried on the next tick; the WAL stays valid meanwhile
      }
    });
  }

  /** fdatasync()s the WAL; resolves also when that fails (the checkpoint then syncs it itself). */
  private async syncWal(): Promise<void> {
    try {
      this.wal ??= await open(this.journal.walPath, 'r');
      await this.wal.datasync();
    } catch {
      // no WAL yet: nothing to sync
    }
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
    // A sync under way closes it when it ends.
    if (!this.checkpointing) this.releaseWal();
  }

  private releaseWal(): void {
    const wal = this.wal;
    this.wal = undefined;
    void wal?.close().catch(() => undefined);
  }
}
