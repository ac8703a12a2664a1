// Client-side relay bootstrap (DESIGN.md "Relay bootstrap", the seed faithfully): use a
// live socket, else let exactly one client spawn the relay under the spawn lock while every
// other client waits for the socket.
import { createConnection } from 'node:net';
import { existsSync, unlinkSync, watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { AgentmuxError } from '../core/errors.js';
import { ioFailed, isErrno } from './fs-errors.js';
import { checkOwnedArtifact, ensureRuntimeDir } from './paths.js';
import type { BundlePaths } from './paths.js';

/** Default wait for a spawned relay's socket. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
/** Default interval between connect attempts while waiting. */
export const DEFAULT_POLL_INTERVAL_MS = 50;
/** Default bound on one connect attempt. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1_000;

/** How a client reaches its relay. */
export interface BootstrapOptions {
  /** When false, never spawn: fail with relay_unavailable instead (`--no-autostart`). */
  autoStart: boolean;
  /** How long to wait for the socket after spawning or while another client spawns. @default 10000 */
  startupTimeoutMs?: number;
  /** Interval between connect attempts. @default 50 */
  pollIntervalMs?: number;
}

/** What bootstrap did. */
export interface BootstrapReport {
  /** True only for the one client that spawned the relay. */
  spawnedRelay: boolean;
}

/** A relay process started by a bootstrap winner, watched while its socket comes up. */
export interface SpawnedRelay {
  /** The child's pid; undefined when the program could not be started at all. */
  readonly pid: number | undefined;
  /** undefined while running; the exit code, or null when a signal ended it. */
  exitCode(): number | null | undefined;
  /** The last ~2 KiB of the relay log, for startup-failure messages. */
  logTail(): string;
}

/** Starts the relay; returning nothing means "nothing to watch" (e.g. an in-process relay). */
export type SpawnRelay = () => Promise<SpawnedRelay | void> | SpawnedRelay | void;

/** True when something accepts connections on the Unix socket within `timeoutMs`. */
export async function isSocketConnectable(
  socketPath: string,
  timeoutMs: number = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: socketPath });
    const finish = (connected: boolean): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(connected);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    // EAGAIN: the accept queue is full, so a relay listens (it is busy, not gone).
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code === 'EAGAIN'));
  });
}

// The seed's "owned and connectable": a socket of another uid is never trusted.
async function relayReachable(paths: BundlePaths): Promise<boolean> {
  try {
    checkOwnedArtifact(paths.socket);
  } catch {
    return false;
  }
  return isSocketConnectable(paths.socket);
}

/** Makes the bundle's relay reachable, spawning it at most once across concurrent clients. */
export async function bootstrapRelay(
  paths: BundlePaths,
  options: BootstrapOptions,
  spawnRelay: SpawnRelay,
): Promise<BootstrapReport> {
  ensureRuntimeDir(paths);
  if (await relayReachable(paths)) return { spawnedRelay: false };
  if (!options.autoStart) {
    throw new AgentmuxError(
      'relay_unavailable',
      `no relay is running for bundle ${paths.bundle} (nothing listens on ${paths.socket})`,
      {
        details: { bundle: paths.bundle, socket: paths.socket },
        hint: `start one with \`agentmux host relay --bundle ${paths.bundle} --state-directory ${paths.stateDir}\`, or drop --no-autostart`,
      },
    );
  }
  const wait = {
    timeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    pollMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
  };
  const locks = await import('./locks.js');
  const spawnLock = locks.tryLockExclusive(paths.spawnLock);
  if (spawnLock === null) {
    await waitForRelay(paths, wait, undefined, locks.isLockHeld);
    return { spawnedRelay: false };
  }
  try {
    if (await relayReachable(paths)) return { spawnedRelay: false };
    removeStaleSocket(paths, locks.isLockHeld);
    const spawned = (await spawnRelay()) ?? undefined;
    await waitForRelay(paths, wait, spawned, locks.isLockHeld);
    return { spawnedRelay: true };
  } finally {
    spawnLock.release();
  }
}

// A socket file nobody listens on blocks the relay's bind; it is only stale when no relay
// holds the runtime lock (a starting relay may not be listening yet).
function removeStaleSocket(paths: BundlePaths, isLockHeld: (path: string) => boolean): void {
  if (!existsSync(paths.socket)) return;
  if (isLockHeld(paths.lock)) return;
  checkOwnedArtifact(paths.socket);
  try {
    unlinkSync(paths.socket);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw ioFailed(`remove stale relay socket ${paths.socket}`, error);
  }
}

async function waitForRelay(
  paths: BundlePaths,
  wait: { timeoutMs: number; pollMs: number },
  spawned: SpawnedRelay | undefined,
  isLockHeld: (path: string) => boolean,
): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  let watched = spawned;
  const socketEvents = watchSocket(paths);
  try {
    for (;;) {
      if (await relayReachable(paths)) return;
      const exitCode = watched?.exitCode();
      if (watched !== undefined && exitCode !== undefined) {
        // Our relay lost the runtime lock to another relay that is still starting: wait for that one.
        if (!isLockHeld(paths.lock)) throw startupFailed(paths, watched, exitCode);
        watched = undefined;
      }
      if (Date.now() >= deadline) {
        throw new AgentmuxError(
          'relay_unavailable',
          `relay for bundle ${paths.bundle} did not accept connections on ${paths.socket} within ${wait.timeoutMs} ms`,
          {
            details: {
              bundle: paths.bundle,
              socket: paths.socket,
              timeout_ms: wait.timeoutMs,
              ...(spawned === undefined ? {} : { log_tail: spawned.logTail() }),
            },
          },
        );
      }
      await socketEvents.next(wait.pollMs);
    }
  } finally {
    socketEvents.close();
  }
}

/**
 * Wakes a waiting client when the relay's socket appears or changes (the relay binds it, then
 * chmods it once listening) instead of at the next poll, which cost half a poll interval on
 * every first use. Polling stays as the fallback (no inotify, a missed event, a relay that
 * exits); the watch only makes the next attempt come sooner.
 */
function watchSocket(paths: BundlePaths): { next(timeoutMs: number): Promise<void>; close(): void } {
  const name = basename(paths.socket);
  let wake: (() => void) | undefined;
  let pending = false;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(paths.dir, { persistent: false }, (_event, file) => {
      if (file !== null && file !== name) return;
      pending = true;
      wake?.();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return {
    next(timeoutMs) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wake = undefined;
          pending = false;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        wake = done;
      });
    },
    close: () => watcher?.close(),
  };
}

function startupFailed(paths: BundlePaths, spawned: SpawnedRelay, exitCode: number | null): AgentmuxError {
  const tail = spawned.logTail().trimEnd();
  const how =
    spawned.pid === undefined
      ? 'could not be started'
      : exitCode === null
        ? 'was killed by a signal'
        : `exited with code ${exitCode}`;
  return new AgentmuxError(
    'relay_startup_failed',
    `relay for bundle ${paths.bundle} ${how} before accepting connections` +
      (tail === '' ? ` (log ${paths.log} is empty)` : `; last lines of ${paths.log}:\n${tail}`),
    { details: { bundle: paths.bundle, socket: paths.socket, pid: spawned.pid, exit_code: exitCode, log_tail: tail } },
  );
}
