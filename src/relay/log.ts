// The relay's structured log: JSON lines in relay.log, rotated at start when it grows large.
import { closeSync, constants, existsSync, lstatSync, openSync, renameSync, writeSync } from 'node:fs';

/** Log events are short names with structured details, never whole frames. */
export interface RelayLog {
  info(event: string, details?: Record<string, unknown>): void;
  warn(event: string, details?: Record<string, unknown>): void;
  error(event: string, details?: Record<string, unknown>): void;
  close(): void;
}

/** Rotate when the log is larger than this at start. */
export const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** Appends JSON lines to `path` (synchronous writes: a log line is never lost to a crash). */
export function openRelayLog(path: string): RelayLog {
  if (existsSync(path) && lstatSync(path).size > LOG_ROTATE_BYTES) renameSync(path, `${path}.1`);
  // O_NOFOLLOW: a symlink in the runtime directory is never written through.
  const fd = openSync(path, APPEND_FLAGS, 0o600);
  let closed = false;
  const write = (level: string, event: string, details?: Record<string, unknown>): void => {
    if (closed) return;
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level, pid: process.pid, event, ...(details ?? {}) });
    } catch {
      line = JSON.stringify({
        time: new Date().toISOString(),
        level,
        pid: process.pid,
        event,
        details: 'unserializable',
      });
    }
    try {
      writeSync(fd, `${line}\n`);
    } catch {
      // A full disk must not take the relay down with it; the journal reports its own failures.
    }
  };
  return {
    info: (event, details) => write('info', event, details),
    warn: (event, details) => write('warn', event, details),
    error: (event, details) => write('error', event, details),
    close: () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

/** A log that drops everything (unit tests). */
export const silentLog: RelayLog = { info() {}, warn() {}, error() {}, close() {} };
