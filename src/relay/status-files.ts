// Keeps `status` (one line for status bars) and `status.json` current in the runtime dir,
// replaced atomically and written at most four times a second.
import type { StatusSnapshot } from '../core/protocol/index.js';
import { writeFileAtomic } from '../core/safe-file.js';
import { formatStatusLine } from '../core/status-line.js';

/** Minimum time between two writes. */
export const STATUS_WRITE_INTERVAL_MS = 250;

/** Writes the status files when told something changed, throttled. */
export class StatusFiles {
  private readonly paths: { status: string; statusJson: string };
  private readonly snapshot: () => StatusSnapshot;
  private readonly onWritten: ((status: StatusSnapshot, line: string) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWrite = 0;
  private stopped = false;

  constructor(
    paths: { status: string; statusJson: string },
    snapshot: () => StatusSnapshot,
    onWritten?: (status: StatusSnapshot, line: string) => void,
  ) {
    this.paths = paths;
    this.snapshot = snapshot;
    this.onWritten = onWritten;
  }

  /** Schedules a write (coalescing bursts of changes). */
  changed(): void {
    if (this.stopped || this.timer) return;
    const wait = Math.max(0, this.lastWrite + STATUS_WRITE_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, wait);
    this.timer.unref();
  }

  /** Writes now. */
  write(): void {
    if (this.stopped) return;
    this.lastWrite = Date.now();
    const status = this.snapshot();
    const line = formatStatusLine(status);
    try {
      atomicWrite(this.paths.status, `${line}\n`);
      atomicWrite(this.paths.statusJson, `${JSON.stringify(status)}\n`);
    } catch {
      // Status files are a convenience; a full disk must not stop message routing.
    }
    this.onWritten?.(status, line);
  }

  /** Writes a final "down" snapshot and stops. */
  stop(final?: StatusSnapshot): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (final) {
      try {
        atomicWrite(this.paths.status, `${formatStatusLine(final)}\n`);
        atomicWrite(this.paths.statusJson, `${JSON.stringify(final)}\n`);
      } catch {
        // best effort
      }
    }
    this.stopped = true;
  }
}

function atomicWrite(path: string, text: string): void {
  writeFileAtomic(path, text, { mode: 0o600 });
}
