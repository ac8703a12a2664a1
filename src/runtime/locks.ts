// flock(2) locks on runtime files. The only module that loads the fs-ext addon, so callers
// that never lock (a client whose relay is already up) import it lazily.
import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as FsExt from 'fs-ext';
import { AgentmuxError } from '../core/errors.js';
import { ioFailed, isErrno } from './fs-errors.js';
import { checkOwnedArtifact } from './paths.js';
import type { BundlePaths } from './paths.js';

/** A held exclusive flock; `release` unlocks and closes (safe to call twice). */
export interface FileLock {
  readonly path: string;
  release(): void;
}

let fsExt: typeof FsExt | undefined;

// Required on first use, not imported: the send bundle (dist/send.js) holds this module for
// a first use, and a static import of the external addon would load it on every send. A
// failure to load it is thrown as it is (toAgentmuxError names the addon and the fix).
function addon(): typeof FsExt {
  fsExt ??= createRequire(import.meta.url)('fs-ext') as typeof FsExt;
  return fsExt;
}

const LOCK_FILE_MODE = 0o600;
const OPEN_FLAGS = constants.O_RDWR | constants.O_NOFOLLOW;

function openLockFile(path: string, create: boolean): number | null {
  checkOwnedArtifact(path);
  try {
    return openSync(path, create ? OPEN_FLAGS | constants.O_CREAT : OPEN_FLAGS, LOCK_FILE_MODE);
  } catch (error) {
    if (!create && isErrno(error, 'ENOENT')) return null;
    throw ioFailed(`open lock file ${path}`, error);
  }
}

// True when locked; false when another open file description holds it (EAGAIN).
function tryFlock(fd: number, path: string): boolean {
  const { flockSync } = addon();
  try {
    flockSync(fd, 'exnb');
    return true;
  } catch (error) {
    if (isErrno(error, 'EAGAIN') || isErrno(error, 'EWOULDBLOCK')) return false;
    throw ioFailed(`lock ${path}`, error);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed; nothing left to release
  }
}

// Opens (creating 0600) and locks; the fd is closed again when the lock is busy.
function lockFd(path: string): number | null {
  const fd = openLockFile(path, true);
  if (fd === null) return null;
  let locked = false;
  try {
    locked = tryFlock(fd, path);
  } finally {
    if (!locked) closeQuietly(fd);
  }
  return locked ? fd : null;
}

/** Takes an exclusive non-blocking flock on `path` (created 0600); null when someone else holds it. */
export function tryLockExclusive(path: string): FileLock | null {
  const fd = lockFd(path);
  if (fd === null) return null;
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      closeQuietly(fd);
    },
  };
}

/** True when another open file description holds `path`; a missing file is never held. */
export function isLockHeld(path: string): boolean {
  const fd = openLockFile(path, false);
  if (fd === null) return false;
  try {
    if (!tryFlock(fd, path)) return true;
    addon().flockSync(fd, 'un');
    return false;
  } finally {
    closeQuietly(fd);
  }
}

/** The relay's runtime lock: at most one relay per bundle; the file holds the relay pid while held. */
export class RelayRuntimeLock {
  readonly path: string;
  #fd: number | null;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** Takes relay.lock or throws relay_already_running; writes `${pid}\n` into it. */
  static acquire(paths: BundlePaths): RelayRuntimeLock {
    const fd = lockFd(paths.lock);
    if (fd === null) {
      throw new AgentmuxError('relay_already_running', `relay already running for bundle ${paths.bundle}`, {
        details: { bundle: paths.bundle, lock: paths.lock, pid: readPid(paths.lock) },
      });
    }
    const lock = new RelayRuntimeLock(paths.lock, fd);
    try {
      ftruncateSync(fd, 0);
      writeSync(fd, `${process.pid}\n`, 0);
    } catch (error) {
      lock.release();
      throw ioFailed(`write pid to ${paths.lock}`, error);
    }
    return lock;
  }

  /** Empties the file, then unlocks and closes; idempotent. */
  release(): void {
    const fd = this.#fd;
    if (fd === null) return;
    this.#fd = null;
    try {
      ftruncateSync(fd, 0);
    } catch {
      // the lock still goes away with the fd; a stale pid is only a diagnostic
    }
    try {
      addon().flockSync(fd, 'un');
    } catch {
      // closing below releases it anyway
    }
    closeQuietly(fd);
  }
}

function readPid(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const pid = Number.parseInt(trimmed, 10);
  return pid > 0 ? pid : null;
}

/** The pid written in relay.lock while a relay holds it; null when no relay holds the lock. */
export function readRelayPid(paths: BundlePaths): number | null {
  return isLockHeld(paths.lock) ? readPid(paths.lock) : null;
}
