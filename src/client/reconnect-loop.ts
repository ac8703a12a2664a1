// The one reconnect loop every long-lived client uses (the dashboard's link, the MCP server's
// background link, `agentmux watch`): connect, serve the connection until it closes, wait
// with exponential backoff, try again, until stopped or no longer wanted.
import type { Clock } from '../core/clock.js';

/** What one pass of the loop reports before it waits. */
export interface ReconnectWait {
  /** Consecutive passes without a connection that lasted; 1 after a connection closed. */
  failures: number;
  delayMs: number;
  /** Why the pass ended: the connect error, or undefined when a connection closed. */
  error: unknown;
}

export interface ReconnectLoopOptions {
  /**
   * Connects and serves one connection: resolves when that connection has closed, rejects
   * when connecting (or setting the connection up) failed.
   */
  connectOnce: () => Promise<void>;
  /** First and largest wait between passes; the wait doubles with each failure in a row. */
  backoff: { firstMs: number; maxMs: number };
  /** Checked before every pass and after every wait: false ends the loop. */
  wanted?: () => boolean;
  /** Before every pass; `previous` is undefined on the first one. */
  onAttempt?: (previous: ReconnectWait | undefined) => void;
  /** Before every wait. */
  onWait?: (wait: ReconnectWait) => void;
  /** Default: the system clock, its timers unref'd when `keepProcessAlive` is false. */
  clock?: Pick<Clock, 'setTimeout'>;
  /** Whether a pending wait keeps the process alive (default true). */
  keepProcessAlive?: boolean;
}

/** The wait after `failures` failures in a row (1, 2, …): first, doubled each time, capped. */
export function backoffDelay(failures: number, backoff: { firstMs: number; maxMs: number }): number {
  return Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(Math.max(failures, 1) - 1, 16));
}

/** A reconnect loop; `start` runs it (once at a time), `stop` ends it and cuts a wait short. */
export class ReconnectLoop {
  private stopped = false;
  private running: Promise<void> | undefined;
  private waiting: { cancel(): void; resolve(): void } | undefined;
  private readonly clock: Pick<Clock, 'setTimeout'>;

  constructor(private readonly options: ReconnectLoopOptions) {
    const keepAlive = options.keepProcessAlive ?? true;
    this.clock = options.clock ?? {
      setTimeout(callback, ms) {
        const handle = setTimeout(callback, ms);
        if (!keepAlive) handle.unref();
        return { cancel: () => clearTimeout(handle) };
      },
    };
  }

  /** True while the loop runs. */
  get active(): boolean {
    return this.running !== undefined;
  }

  /** Starts the loop unless it runs already; resolves when it ends. */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Ends the loop: no further pass starts, and a wait in progress ends now. */
  stop(): void {
    this.stopped = true;
    this.cutWait();
  }

  /** Ends the current wait early (the next pass starts now). */
  cutWait(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.cancel();
    waiting?.resolve();
  }

  private wanted(): boolean {
    return !this.stopped && (this.options.wanted?.() ?? true);
  }

  private async run(): Promise<void> {
    let previous: ReconnectWait | undefined;
    let failures = 0;
    while (this.wanted()) {
      this.options.onAttempt?.(previous);
      let error: unknown;
      try {
        await this.options.connectOnce();
        failures = 1;
      } catch (caught) {
        failures += 1;
        error = caught;
      }
      if (!this.wanted()) return;
      previous = { failures, delayMs: backoffDelay(failures, this.options.backoff), error };
      this.options.onWait?.(previous);
      await this.wait(previous.delayMs);
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiting = undefined;
        resolve();
      }, ms);
      this.waiting = { cancel: () => timer.cancel(), resolve };
    });
  }
}
