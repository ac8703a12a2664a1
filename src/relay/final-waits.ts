// Waits for every copy of a message to reach a final state (`send {wait_ms}`, `ask`). Open
// copies are counted in the journal when a wait starts and again when one of its copies
// settles, so the router keeps no per-message count for the many messages nobody waits on.
import type { Clock } from '../core/clock.js';

export interface FinalWaitsDeps {
  clock: Clock;
  /** Open (non-final) copies of `seq`, with every earlier write committed. */
  openCopies: (seq: number) => number;
}

/** The waits in progress, by message sequence. */
export class FinalWaits {
  private readonly deps: FinalWaitsDeps;
  private readonly waiters = new Map<number, Set<() => void>>();
  /** Ends every wait in progress (with false), for close. */
  private readonly cancels = new Set<() => void>();
  private closed = false;

  constructor(deps: FinalWaitsDeps) {
    this.deps = deps;
  }

  /**
   * Resolves when every copy of `seq` is final, or after `timeoutMs`, or when `signal` aborts
   * (its client went away) or the waits close: true only if all are final.
   */
  wait(seq: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    // Closed: the journal may be closed too, so it is not asked.
    if (this.closed) return Promise.resolve(false);
    if (this.deps.openCopies(seq) === 0) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const set = this.waiters.get(seq) ?? new Set<() => void>();
      this.waiters.set(seq, set);
      // A wait holds a timer of up to ten minutes: nobody listening must not keep it (or the
      // process at stop) alive.
      const end = (final: boolean): void => {
        timer.cancel();
        set.delete(done);
        if (set.size === 0 && this.waiters.get(seq) === set) this.waiters.delete(seq);
        signal?.removeEventListener('abort', cancel);
        this.cancels.delete(cancel);
        resolve(final);
      };
      const done = (): void => end(true);
      const cancel = (): void => end(false);
      const timer = this.deps.clock.setTimeout(cancel, timeoutMs);
      set.add(done);
      signal?.addEventListener('abort', cancel, { once: true });
      this.cancels.add(cancel);
    });
  }

  /** A copy of `seq` became final: ends its waits once no copy is left open. */
  settled(seq: number): void {
    const waiting = this.waiters.get(seq);
    if (!waiting || this.deps.openCopies(seq) > 0) return;
    this.waiters.delete(seq);
    for (const done of waiting) done();
  }

  /** Ends every wait in progress with false. */
  close(): void {
    this.closed = true;
    for (const cancel of [...this.cancels]) cancel();
  }
}
