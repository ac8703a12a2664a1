// A clock for unit tests whose time and timers move only when the test says so.
import type { Clock } from '../../src/core/clock.js';

/** Time and timers that move only when the test says so; timers fire in time order. */
export class ManualClock implements Clock {
  private ms = Date.parse('2026-01-01T00:00:00.000Z');
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.ms;
  }

  monotonic(): number {
    return this.ms;
  }

  setTimeout(callback: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.ms + ms, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.ms + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.ms = Math.max(this.ms, due.at);
      this.timers = this.timers.filter((t) => t !== due);
      due.callback();
    }
    this.ms = target;
  }

  /** Delays of the timers still waiting, from now. */
  get pending(): number[] {
    return this.timers.filter((t) => !t.cancelled).map((t) => t.at - this.ms);
  }
}
