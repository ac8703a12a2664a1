// Small coordination helpers for the worker: turns run one after another, and `up` waits
// (with a deadline) for a starting agent to settle.
import type { Clock } from '../../core/clock.js';

/** Runs async work one piece at a time, in call order; a failure does not stop the queue. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Waiters woken together when something they wait for may have happened, each with a deadline. */
export class Waiters {
  private readonly waiting = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** Resolves at the next `wakeAll`, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        timer.cancel();
        this.waiting.delete(done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      this.waiting.add(done);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.waiting]) wake();
  }
}
