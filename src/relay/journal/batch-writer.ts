// Groups every journal write requested in one event-loop turn into one SQLite transaction:
// one commit per turn instead of one per message is what makes durable sends fast.
import { AgentmuxError } from '../../core/errors.js';
import type { Journal } from './journal.js';

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Queues writes and commits them together at the end of the current turn. */
export class JournalBatcher {
  private readonly journal: Journal;
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private closed = false;

  constructor(journal: Journal) {
    this.journal = journal;
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
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.journal.transaction(() => {
        for (const item of batch) {
          // Each write gets its own savepoint, so one failing write cannot undo the others.
          try {
            outcomes.push({ ok: true, value: this.journal.transaction(item.work) });
          } catch (error) {
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      const failure = new AgentmuxError('runtime_journal_failed', `journal commit failed: ${String(error)}`, {
        cause: error,
      });
      for (const item of batch) item.reject(failure);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.value);
    });
  }

  /** Commits what is queued and refuses later writes. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
