// Which directories the user trusts to choose a configuration root (docs/reliability.md,
// "Trust model"), in the spirit of direnv's `allow` and git's `safe.directory`: a repository's
// own files (the per-worktree MCP override) may name a bundle and a session, but its
// `config_root` — which decides what commands agents start — only counts once the user ran
// `agentmux trust DIR`. Trust is of a canonical real path and of the override file's content at
// that moment: an edited override needs trusting again. Recorded in the user's state root
// (0600), never inside the repository.
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AgentmuxError } from '../core/errors.js';

/** The per-worktree MCP override, relative to the worktree root (the original agentmux's path). */
export const OVERRIDE_RELATIVE_PATH = '.auxiliary/configuration/agentmux/overrides/mcp.toml';

/** The trust list's file name in the state root. */
export const TRUST_FILE = 'trusted-paths.json';

/** The nearest directory at or above `cwd` holding `.git` (a directory, or a worktree's file). */
export function findWorktreeRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** One trusted directory. */
export interface TrustedPath {
  /** Canonical real path. */
  path: string;
  /** sha256 of the override file when trusted; null when it had none. */
  override_sha256: string | null;
  trusted_at: string;
}

/** Whether a directory is trusted now, and why not. */
export type TrustCheck = { trusted: true; entry: TrustedPath } | { trusted: false; reason: string };

/** Path of the trust list. */
export function trustFilePath(stateDir: string): string {
  return join(stateDir, TRUST_FILE);
}

/** The trusted directories; an absent or unreadable list trusts nothing. */
export function listTrusted(stateDir: string): TrustedPath[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(trustFilePath(stateDir), 'utf8'));
  } catch {
    return [];
  }
  const paths = (data as { paths?: unknown }).paths;
  if (!Array.isArray(paths)) return [];
  return paths.filter(
    (entry): entry is TrustedPath =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as TrustedPath).path === 'string' &&
      ((entry as TrustedPath).override_sha256 === null || typeof (entry as TrustedPath).override_sha256 === 'string'),
  );
}

/** The canonical real path of a directory; refuses what is not one. */
export function canonicalDirectory(dir: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (error) {
    throw new AgentmuxError('validation_invalid_arguments', `cannot resolve ${dir}: ${(error as Error).message}`, {
      details: { path: dir },
    });
  }
  if (!statSync(real).isDirectory()) {
    throw new AgentmuxError('validation_invalid_arguments', `${real} is not a directory`, { details: { path: real } });
  }
  return real;
}

/** sha256 of the directory's override file, or null when it has none. */
export function overrideDigest(realDir: string): string | null {
  let content: Buffer;
  try {
    content = readFileSync(join(realDir, OVERRIDE_RELATIVE_PATH));
  } catch {
    return null;
  }
  return createHash('sha256').update(content).digest('hex');
}

/** Records trust of `dir` (and of its override file as it is now); returns the entry. */
export function trustPath(stateDir: string, dir: string, now: Date = new Date()): TrustedPath {
  const path = canonicalDirectory(dir);
  const entry: TrustedPath = { path, override_sha256: overrideDigest(path), trusted_at: now.toISOString() };
  writeTrusted(stateDir, [...listTrusted(stateDir).filter((e) => e.path !== path), entry]);
  return entry;
}

/** Forgets trust of `dir`; false when it was not trusted. */
export function untrustPath(stateDir: string, dir: string): boolean {
  let path: string;
  try {
    path = realpathSync(dir);
  } catch {
    path = dir; // a directory that is gone can still be forgotten by the path it was trusted under
  }
  const before = listTrusted(stateDir);
  const after = before.filter((entry) => entry.path !== path);
  if (after.length === before.length) return false;
  writeTrusted(stateDir, after);
  return true;
}

/** Whether `dir` is trusted as it is now (its real path listed, its override unchanged). */
export function checkTrust(stateDir: string, dir: string): TrustCheck {
  let path: string;
  try {
    path = realpathSync(dir);
  } catch {
    return { trusted: false, reason: `${dir} does not exist` };
  }
  const entry = listTrusted(stateDir).find((e) => e.path === path);
  if (entry === undefined) return { trusted: false, reason: `${path} is not trusted` };
  if (entry.override_sha256 !== overrideDigest(path)) {
    return { trusted: false, reason: `${join(path, OVERRIDE_RELATIVE_PATH)} changed since ${path} was trusted` };
  }
  return { trusted: true, entry };
}

function writeTrusted(stateDir: string, paths: TrustedPath[]): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = trustFilePath(stateDir);
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ version: 1, paths }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
