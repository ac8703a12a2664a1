// The one way agentmux creates and replaces files. A file is first written under an
// unpredictable temporary name opened with O_CREAT|O_EXCL|O_NOFOLLOW (so a symlink or file
// planted at a guessed name is never opened, let alone written through), then renamed or
// hard-linked into place (rename replaces a symlink at the final name; it never follows it).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  readlinkSync,
  lstatSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';

const EXCLUSIVE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const MAX_LINK_HOPS = 16;

/** How writeFileAtomic places the file. */
export interface AtomicWriteOptions {
  /** Mode of a new file (filtered by the umask). @default 0o600 */
  mode?: number;
  /** When the file exists, give the new content its mode. @default false */
  keepMode?: boolean;
  /**
   * When `path` is a symlink, replace the file it points to and keep the link (a user's
   * settings file linked from a dotfiles repo). Never set for files in the runtime directory.
   * @default false
   */
  followSymlink?: boolean;
  /** false: create only; return false without touching an existing file. @default true */
  replace?: boolean;
  /** fsync the content before it becomes visible. @default false */
  durable?: boolean;
}

/** An unpredictable sibling name for a temporary file. */
export function temporaryName(path: string): string {
  return `${path}.${randomBytes(8).toString('hex')}.tmp`;
}

/**
 * Creates `path` with `data`; fails with EEXIST when anything (a symlink included) is already
 * there, and never opens through a symlink.
 */
export function createExclusive(path: string, data: string | Buffer, mode = 0o600): void {
  const fd = openSync(path, EXCLUSIVE_FLAGS, mode);
  try {
    writeAll(fd, data);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

/**
 * Replaces (or, with `replace: false`, creates) `path` atomically: readers see the old or the
 * new content, never a part. Returns false only when `replace` is false and the file existed.
 */
export function writeFileAtomic(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): boolean {
  const target = options.followSymlink === true ? symlinkTarget(path) : path;
  const existingMode = options.keepMode === true ? modeOf(target) : undefined;
  const temporary = temporaryName(target);
  const fd = openSync(temporary, EXCLUSIVE_FLAGS, options.mode ?? 0o600);
  try {
    try {
      writeAll(fd, data);
      if (existingMode !== undefined) fchmodSync(fd, existingMode);
      if (options.durable === true) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.replace === false) {
      try {
        linkSync(temporary, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
      return true;
    }
    renameSync(temporary, target);
    return true;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function writeAll(fd: number, data: string | Buffer): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

// The final non-link path `path` leads to (a dangling link's target included, so the file
// gets created where the link points).
function symlinkTarget(path: string): string {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_LINK_HOPS; hop += 1) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!isLink) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  const error = new Error(`too many levels of symbolic links at ${path}`) as NodeJS.ErrnoException;
  error.code = 'ELOOP';
  throw error;
}

function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}
