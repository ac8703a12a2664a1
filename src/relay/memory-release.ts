// Hands memory back once the relay has dropped clients that stopped reading. What they had
// queued (shared encoded notices of up to 256 KiB each) is garbage once they are gone, and so
// is what the burst of traffic that caused the drops left behind, but nearly all of it lives
// outside V8's heap: V8 counts it only as external memory and frees it at its next major
// collection, which a relay that went quiet runs late (measured: 10–25 s after a burst) and one
// kept busy by light traffic may not run for much longer. So a full collection runs when the
// relay has been quiet for a moment after a drop (and, under steady traffic, after a bounded wait).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** No output written for this long after a drop: the burst is over, collect. */
export const RELEASE_QUIET_MS = 1000;
/** Collect at the latest this long after the first drop, however busy the relay stays. */
export const RELEASE_MAX_DELAY_MS = 10_000;

/** What one collection did, for the log. */
export interface ReleaseReport {
  /** `quiet`: the burst was over; `busy`: the relay stayed busy for the longest wait. */
  trigger: 'quiet' | 'busy';
  /** Clients dropped since the last collection. */
  dropped: number;
  /** Since the first of those drops (or the last collection, when none). */
  waitedMs: number;
  /** How long the collection itself took. */
  collectMs: number;
}

export interface MemoryReleaseOptions {
  /** Runs a full garbage collection; default: V8's, or nothing where it is unavailable. */
  collect?: () => void;
  quietMs?: number;
  maxDelayMs?: number;
  onReleased?: (report: ReleaseReport) => void;
}

/**
 * Schedules a full collection after each burst of dropped clients: when the relay goes quiet,
 * and, if it stays busy past the longest wait, once then and once more when it goes quiet.
 */
export class MemoryRelease {
  private readonly collect: () => void;
  private readonly quietMs: number;
  private readonly maxDelayMs: number;
  private readonly onReleased: (report: ReleaseReport) => void;
  // Output written so far; the timer compares it with what it saw to tell a quiet relay.
  private writes = 0;
  private writesSeen = 0;
  private dropped = 0;
  /** When the wait began (the first drop since the last collection, or that collection). */
  private since = 0;
  /** Set once the busy collection ran: the quiet one still follows, no further busy ones. */
  private collectedBusy = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: MemoryReleaseOptions = {}) {
    // Looked up at the first collection: a relay that never drops anyone never needs it.
    this.collect = options.collect ?? (() => fullCollection()());
    this.quietMs = options.quietMs ?? RELEASE_QUIET_MS;
    this.maxDelayMs = options.maxDelayMs ?? RELEASE_MAX_DELAY_MS;
    this.onReleased = options.onReleased ?? (() => undefined);
  }

  /** Output was queued for some client: the relay is not quiet yet. Called on every write. */
  noteWrite(): void {
    this.writes += 1;
  }

  /** A client was dropped with its backlog: collect once the relay is quiet. */
  noteDrop(): void {
    if (this.stopped) return;
    this.dropped += 1;
    if (this.dropped === 1) {
      this.since = performance.now();
      this.collectedBusy = false;
    }
    if (this.timer !== undefined) return;
    this.writesSeen = this.writes;
    this.arm();
  }

  /** Cancels a pending collection (the relay is stopping). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = setTimeout(() => this.check(), this.quietMs);
    // A pending collection never keeps a stopping relay alive.
    this.timer.unref();
  }

  private check(): void {
    this.timer = undefined;
    const quiet = this.writes === this.writesSeen;
    this.writesSeen = this.writes;
    if (quiet) {
      this.release('quiet');
      return;
    }
    if (!this.collectedBusy && performance.now() - this.since + this.quietMs > this.maxDelayMs) {
      this.release('busy');
      this.collectedBusy = true;
    }
    this.arm();
  }

  private release(trigger: ReleaseReport['trigger']): void {
    const started = performance.now();
    this.collect();
    const ended = performance.now();
    this.onReleased({
      trigger,
      dropped: this.dropped,
      waitedMs: Math.round(started - this.since),
      collectMs: Math.round(ended - started),
    });
    this.dropped = 0;
    this.since = ended;
  }
}

let collector: (() => void) | undefined;

/**
 * V8's full collection. Node hides it unless started with --expose-gc; the flag can still be
 * turned on for a moment, which gives a new context its `gc` (the relay creates no other).
 */
function fullCollection(): () => void {
  if (collector !== undefined) return collector;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') {
    collector = exposed as () => void;
    return collector;
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    collector = typeof gc === 'function' ? (gc as () => void) : () => undefined;
  } catch {
    collector = () => undefined;
  }
  return collector;
}
