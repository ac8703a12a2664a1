// Pane output as events. tmux reports `%output` to a control client only for the panes of the
// session it is attached to, so each agent session gets its own small control client with
// output on. A delivery waiting for a pane is then woken exactly when the pane's quiet window
// expires after its output (or its hook state changes), instead of looking on a polling tick.
import type { Clock } from '../../core/clock.js';
import { TmuxControlClient } from './control-client.js';

/** Under continuous output (a spinner) a waiting pane is still looked at this often, at least. */
const MAX_UNJUDGED_OUTPUT_MS = 500;
/** How soon a control client that failed to attach may be tried again. */
const REATTACH_MS = 2000;

/** What the output watch knows of a pane, while its control client is live. */
export interface PaneOutput {
  /** Monotonic ms of the last `%output` for the pane, if any since the client attached. */
  lastOutputAt: number | undefined;
}

interface Watch {
  session: string;
  paneId: string;
  client: TmuxControlClient | undefined;
  attempted: number;
  lastOutputAt: number | undefined;
  /** The first output not covered by a look yet (a waiting delivery looks again for it). */
  firstUnjudgedAt: number | undefined;
  /** Bumped by every output and every wake; a waiter returns when it moved. */
  mark: number;
  waiters: Set<Waiter>;
}

/** A delivery waiting on a pane: re-armed by output, ended by a wake. */
interface Waiter {
  rearm(): void;
  end(): void;
}

/** One output-reporting control client per watched agent session. */
export class PaneActivity {
  private readonly bySession = new Map<string, Watch>();
  private readonly byPane = new Map<string, Watch>();
  private closed = false;

  constructor(
    private readonly socket: string,
    private readonly clock: Clock,
    private readonly safetyMs: number,
  ) {}

  /** Watches `paneId` of `session` (idempotent; re-attaches a client that ended). */
  watch(session: string, paneId: string): void {
    if (this.closed) return;
    let watch = this.bySession.get(session);
    if (watch && watch.paneId !== paneId) {
      this.forget(session);
      watch = undefined;
    }
    if (!watch) {
      watch = {
        session,
        paneId,
        client: undefined,
        attempted: Number.NEGATIVE_INFINITY,
        lastOutputAt: undefined,
        firstUnjudgedAt: undefined,
        mark: 0,
        waiters: new Set(),
      };
      this.bySession.set(session, watch);
      this.byPane.set(paneId, watch);
    }
    if (watch.client || this.clock.monotonic() - watch.attempted < REATTACH_MS) return;
    watch.attempted = this.clock.monotonic();
    void this.attach(watch);
  }

  /** Stops watching a session (its pane went away or was replaced). */
  forget(session: string): void {
    const watch = this.bySession.get(session);
    if (!watch) return;
    this.bySession.delete(session);
    this.byPane.delete(watch.paneId);
    watch.client?.close();
    watch.client = undefined;
    this.wakeAll(watch);
  }

  /** The pane's output record, or undefined when no live control client reports it. */
  output(paneId: string): PaneOutput | undefined {
    const watch = this.byPane.get(paneId);
    return watch?.client ? { lastOutputAt: watch.lastOutputAt } : undefined;
  }

  /** A look at the pane started at `at`: output before it is covered by that look. */
  looked(paneId: string, at: number): void {
    const watch = this.byPane.get(paneId);
    if (!watch) return;
    const last = watch.lastOutputAt;
    watch.firstUnjudgedAt = last !== undefined && last > at ? last : undefined;
  }

  /** Something other than output changed what the pane's judgement depends on (a hook report). */
  wake(session: string): void {
    const watch = this.bySession.get(session);
    if (!watch) return;
    watch.mark += 1;
    this.wakeAll(watch);
  }

  /** A token that `waitForChange` compares against: anything since it returns at once. */
  mark(paneId: string): number {
    return this.byPane.get(paneId)?.mark ?? 0;
  }

  /**
   * Resolves when the pane should be judged again: at `wakeAt` (monotonic ms) if given, when
   * its quiet window expires after new output, on a wake, or after the safety interval.
   * Without a live control client it resolves after `fallbackMs` (a plain poll).
   */
  waitForChange(
    paneId: string,
    options: { quietWindowMs: number; wakeAt?: number; since: number; fallbackMs: number; signal: AbortSignal },
  ): Promise<void> {
    const watch = this.byPane.get(paneId);
    if (!watch?.client || this.closed) return delay(options.fallbackMs, options.signal);
    if (watch.mark !== options.since || options.signal.aborted) return Promise.resolve();
    const clock = this.clock;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const safety = setTimeout(end, this.safetyMs);
      options.signal.addEventListener('abort', end, { once: true });
      function end(): void {
        clearTimeout(timer);
        clearTimeout(safety);
        options.signal.removeEventListener('abort', end);
        watch?.waiters.delete(waiter);
        resolve();
      }
      function rearm(): void {
        if (!watch?.client) {
          end();
          return;
        }
        const due: number[] = options.wakeAt === undefined ? [] : [options.wakeAt];
        if (watch.firstUnjudgedAt !== undefined && watch.lastOutputAt !== undefined) {
          // Quiet window after the last output; under continuous output, no later than this.
          due.push(
            Math.min(
              watch.lastOutputAt + options.quietWindowMs,
              watch.firstUnjudgedAt + Math.max(options.quietWindowMs, MAX_UNJUDGED_OUTPUT_MS),
            ),
          );
        }
        clearTimeout(timer);
        timer = due.length === 0 ? undefined : setTimeout(end, Math.max(0, Math.min(...due) - clock.monotonic()));
      }
      const waiter: Waiter = { rearm, end };
      watch.waiters.add(waiter);
      rearm();
    });
  }

  /** Ends every control client. */
  close(): void {
    this.closed = true;
    for (const session of [...this.bySession.keys()]) this.forget(session);
  }

  private async attach(watch: Watch): Promise<void> {
    let client: TmuxControlClient;
    try {
      client = await TmuxControlClient.start({
        socket: this.socket,
        session: watch.session,
        output: true,
        onOutput: (paneId) => this.onOutput(paneId),
        onExit: () => {
          if (watch.client !== client) return;
          watch.client = undefined;
          this.wakeAll(watch);
        },
      });
    } catch {
      return;
    }
    if (this.closed || this.bySession.get(watch.session) !== watch) {
      client.close();
      return;
    }
    watch.client = client;
    // Waiters that fell back to plain polling switch over on their next wait.
    this.wakeAll(watch);
  }

  private onOutput(paneId: string): void {
    const watch = this.byPane.get(paneId);
    if (!watch) return;
    const now = this.clock.monotonic();
    watch.lastOutputAt = now;
    watch.firstUnjudgedAt ??= now;
    for (const waiter of [...watch.waiters]) waiter.rearm();
  }

  private wakeAll(watch: Watch): void {
    for (const waiter of [...watch.waiters]) waiter.end();
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
