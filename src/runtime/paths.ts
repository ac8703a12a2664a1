// Per-bundle runtime paths and the ownership rules that make the runtime dir the trust
// boundary (Node has no SO_PEERCRED, so a 0700 dir owned by us is the only check).
import { chmodSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// Directly, not through config/index.js: this module is on `agentmux send`'s fast path (no zod).
import { assertSafeRoot } from '../config/root-safety.js';
import { AgentmuxError } from '../core/errors.js';
import { isBundleId } from '../core/ids.js';
import { ioFailed, isErrno } from './fs-errors.js';

/** Every file of one bundle's runtime dir, all absolute. */
export interface BundlePaths {
  bundle: string;
  stateDir: string;
  dir: string;
  socket: string;
  lock: string;
  spawnLock: string;
  journal: string;
  log: string;
  status: string;
  statusJson: string;
  tmuxSocket: string;
  tmuxConf: string;
}

/** Longest socket path we accept; Node silently truncates past 107 bytes. */
export const MAX_SOCKET_PATH_BYTES = 100;

const OWNER_ONLY_DIR_MODE = 0o700;
const GROUP_OTHER_BITS = 0o077;

/** Resolves the runtime paths of `bundle`; refuses bad ids and socket paths Node would truncate. */
export function bundlePaths(stateDir: string, bundle: string): BundlePaths {
  if (!isBundleId(bundle)) {
    throw new AgentmuxError('validation_unknown_bundle', `invalid bundle id ${JSON.stringify(bundle)}`, {
      details: { bundle },
    });
  }
  const root = resolve(stateDir);
  const dir = join(root, 'bundles', bundle);
  const paths: BundlePaths = {
    bundle,
    stateDir: root,
    dir,
    socket: join(dir, 'relay.sock'),
    lock: join(dir, 'relay.lock'),
    spawnLock: join(dir, 'relay.spawn.lock'),
    journal: join(dir, 'journal.db'),
    log: join(dir, 'relay.log'),
    status: join(dir, 'status'),
    statusJson: join(dir, 'status.json'),
    tmuxSocket: join(dir, 'tmux.sock'),
    tmuxConf: join(dir, 'tmux.conf'),
  };
  assertSocketPathFits(paths.socket);
  assertSocketPathFits(paths.tmuxSocket);
  return paths;
}

function assertSocketPathFits(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new AgentmuxError(
      'runtime_socket_path_too_long',
      `socket path ${path} is ${bytes} bytes; at most ${MAX_SOCKET_PATH_BYTES} are allowed`,
      { details: { path, bytes, max: MAX_SOCKET_PATH_BYTES } },
    );
  }
}

/** Our effective uid (always defined on the POSIX systems agentmux supports). */
export function currentUid(): number {
  return process.geteuid?.() ?? process.getuid?.() ?? -1;
}

/**
 * Creates stateDir, stateDir/bundles and the bundle dir as 0700; refuses existing ones that are
 * not ours alone, and a state root with an ancestor another user could rename entries in.
 */
export function ensureRuntimeDir(paths: BundlePaths): void {
  assertSafeRoot(paths.stateDir, 'state');
  const bundlesDir = dirname(paths.dir);
  try {
    mkdirSync(dirname(paths.stateDir), { recursive: true });
  } catch (error) {
    throw ioFailed(`create directory ${dirname(paths.stateDir)}`, error);
  }
  ensurePrivateDir(paths.stateDir, false);
  ensurePrivateDir(bundlesDir, true);
  ensurePrivateDir(paths.dir, true);
}

// `strict` dirs that already exist must be ours with no group/other bits; dirs we create
// are chmodded afterwards because mkdir's mode is filtered by the umask, then checked again
// (not a symlink, ours, 0700) in case something raced the mkdir.
function ensurePrivateDir(path: string, strict: boolean): void {
  let created = false;
  try {
    mkdirSync(path, { mode: OWNER_ONLY_DIR_MODE });
    created = true;
    chmodSync(path, OWNER_ONLY_DIR_MODE);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw ioFailed(`create directory ${path}`, error);
  }
  // The state root may be a symlink the user chose; the dirs below it must be real dirs.
  const stat = statOrThrow(path, strict || created);
  if (!stat.isDirectory()) throw insecure(path, stat, 'is not a directory');
  if (!strict && !created) return;
  if (stat.uid !== currentUid()) throw insecure(path, stat, 'is owned by another user');
  if ((stat.mode & GROUP_OTHER_BITS) !== 0) throw insecure(path, stat, 'is accessible by group or others');
}

/** Refuses an existing runtime artifact owned by another uid (and a socket with group/other bits). */
export function checkOwnedArtifact(path: string, options: { socket?: boolean } = {}): void {
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw ioFailed(`inspect ${path}`, error);
  }
  if (stat.uid !== currentUid()) throw insecure(path, stat, 'is owned by another user');
  if (options.socket === true && (stat.mode & GROUP_OTHER_BITS) !== 0) {
    throw insecure(path, stat, 'is accessible by group or others');
  }
}

function statOrThrow(path: string, noFollow: boolean): Stats {
  try {
    return noFollow ? lstatSync(path) : statSync(path);
  } catch (error) {
    throw ioFailed(`inspect ${path}`, error);
  }
}

function insecure(path: string, stat: Stats, why: string): AgentmuxError {
  const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
  return new AgentmuxError('runtime_insecure_path', `refusing ${path}: it ${why} (mode ${mode}, owner ${stat.uid})`, {
    details: { path, mode, owner_uid: stat.uid, expected_uid: currentUid() },
  });
}
