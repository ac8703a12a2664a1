// A state or config root is only as private as its least private ancestor: whoever can
// rename an entry in any directory above it can swap `bundles/` or the config for their own
// (the spirit of git's safe.directory). A root is refused when it or an ancestor, as written
// or after resolving symlinks, is writable by group or others without the sticky bit, or is
// owned by a user other than us and root.
import { lstatSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AgentmuxError } from '../core/errors.js';

const GROUP_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/** Which root is checked, for the message. */
export type RootLabel = 'state' | 'config';

/**
 * Throws `runtime_insecure_path` naming the first unsafe directory on the way to `root`
 * (missing trailing parts are skipped: they will be created private).
 */
export function assertSafeRoot(root: string, label: RootLabel, uid: number = currentUid()): void {
  const lexical = resolve(root);
  for (const dir of ancestorsOf(lexical)) checkDirectory(dir, root, label, uid, true);
  const real = realPathOfExisting(lexical);
  if (real !== lexical) for (const dir of ancestorsOf(real)) checkDirectory(dir, root, label, uid, false);
}

function currentUid(): number {
  return process.geteuid?.() ?? process.getuid?.() ?? -1;
}

// `/`, `/a`, `/a/b`, … down to `path`.
function ancestorsOf(path: string): string[] {
  const chain: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) return chain;
  }
}

// The real path of the longest existing prefix, with the missing rest appended.
function realPathOfExisting(path: string): string {
  const missing: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      return resolve(realpathSync(dir), ...missing);
    } catch {
      if (dirname(dir) === dir) return path;
      missing.unshift(dir.slice(dirname(dir).length).replace(/^\//, ''));
    }
  }
}

function checkDirectory(dir: string, root: string, label: RootLabel, uid: number, lexical: boolean): void {
  let entry: Stats;
  try {
    entry = lstatSync(dir);
  } catch {
    return; // not created yet
  }
  // A symlink on the way is as trustworthy as its owner (nobody else can retarget it); what it
  // points to is checked on the resolved chain.
  if (entry.isSymbolicLink()) {
    if (entry.uid !== uid && entry.uid !== 0)
      throw insecure(dir, entry, root, label, 'is a symlink owned by another user');
    if (!lexical) return;
    try {
      entry = statSync(dir);
    } catch {
      return;
    }
  }
  if (entry.uid !== uid && entry.uid !== 0) throw insecure(dir, entry, root, label, 'is owned by another user');
  if ((entry.mode & GROUP_OTHER_WRITE) !== 0 && (entry.mode & STICKY) === 0) {
    throw insecure(dir, entry, root, label, 'is writable by group or others without the sticky bit');
  }
}

function insecure(dir: string, stat: Stats, root: string, label: RootLabel, why: string): AgentmuxError {
  const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
  const what =
    dir === resolve(root) ? `the ${label} directory ${dir}` : `${dir}, above the ${label} directory ${root},`;
  return new AgentmuxError('runtime_insecure_path', `refusing ${what} ${why} (mode ${mode}, owner uid ${stat.uid})`, {
    details: { path: dir, root, mode, owner_uid: stat.uid, expected_uid: currentUid() },
    hint:
      `another user could replace what agentmux reads or writes there: run \`chmod go-w ${dir}\` (or chmod +t) or ` +
      `choose a ${label} directory under your home (--${label}-directory)`,
  });
}
