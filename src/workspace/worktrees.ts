// Creating an agent's worktree at `up` and reading its state (branch, changes, merged?).
import { cpSync, existsSync, lstatSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { AgentmuxError } from '../core/errors.js';
import { git, gitLines, gitTry } from './git.js';
import { baseConfigKey, type WorktreePlan } from './worktree-plan.js';

/** What `ensureWorktree` did and where the agent starts. */
export interface PreparedWorktree {
  /** The directory the agent's pane (or worker) starts in. */
  workdir: string;
  outcome: 'created' | 'kept';
  /** Include entries copied (files) or linked (directories) into a new worktree. */
  copied: string[];
}

/** A worktree's state for `list`, `diff`, `merge` and `down --clean`. */
export interface WorktreeStatus {
  session: string;
  path: string;
  branch: string;
  base: string | undefined;
  exists: boolean;
  /** Files changed against the merge base, committed or not (include entries not counted). */
  changed: number;
  /** Uncommitted or untracked paths (include entries not counted). */
  dirty: string[];
  /** Commits on the branch that the base does not have. */
  ahead: number;
}

/** The top-level directory of the repository holding `directory`. */
export async function repositoryRoot(directory: string): Promise<string> {
  const result = await gitTry(directory, ['rev-parse', '--show-toplevel']).catch(() => undefined);
  if (!result || result.code !== 0) {
    throw new AgentmuxError('validation_not_a_repository', `${directory} is not inside a git repository`, {
      details: { directory },
    });
  }
  return result.stdout.trim();
}

/** Creates the worktree on its branch unless it exists; the pane starts in the returned workdir. */
export async function ensureWorktree(plan: WorktreePlan): Promise<PreparedWorktree> {
  const repo = await repositoryRoot(plan.directory);
  const inside = relative(realpathSync(repo), realpathSync(plan.directory));
  const workdir = join(plan.path, inside);
  if (existsSync(join(plan.path, '.git'))) return { workdir, outcome: 'kept', copied: [] };
  mkdirSync(dirname(plan.path), { recursive: true, mode: 0o700 });
  // A worktree directory deleted by hand is still registered; git refuses to add it again until pruned.
  await git(repo, ['worktree', 'prune']);
  const branchExists =
    (await gitTry(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${plan.branch}`])).code === 0;
  if (branchExists) {
    await git(repo, ['worktree', 'add', plan.path, plan.branch]);
  } else {
    const base = plan.base ?? (await currentBranch(repo));
    await git(repo, ['worktree', 'add', '-b', plan.branch, plan.path, base ?? 'HEAD']);
    if (base !== undefined) await git(repo, ['config', baseConfigKey(plan.branch), base]);
  }
  return { workdir, outcome: 'created', copied: copyIncludes(repo, plan.path, plan.include) };
}

/** The base a branch merges into: configured, else remembered at creation, else undefined. */
export async function baseOf(plan: WorktreePlan, repo: string): Promise<string | undefined> {
  if (plan.base !== undefined) return plan.base;
  const remembered = await gitTry(repo, ['config', '--get', baseConfigKey(plan.branch)]);
  return remembered.code === 0 ? remembered.stdout.trim() || undefined : undefined;
}

/** Branch, changed-file count, dirty paths and commits ahead of the base. */
export async function worktreeStatus(plan: WorktreePlan): Promise<WorktreeStatus> {
  const repo = await repositoryRoot(plan.directory);
  const base = await baseOf(plan, repo);
  const empty = { session: plan.session, path: plan.path, branch: plan.branch, base, changed: 0, dirty: [], ahead: 0 };
  if (!existsSync(join(plan.path, '.git'))) return { ...empty, exists: false };
  const dirty = withoutIncludes(await porcelainPaths(plan.path), plan.include);
  if (base === undefined) return { ...empty, exists: true, dirty, changed: dirty.length };
  const mergeBase = (await git(plan.path, ['merge-base', base, 'HEAD'])).trim();
  const committed = gitLines(await git(plan.path, ['diff', '--name-only', mergeBase, 'HEAD']));
  const ahead = Number((await git(plan.path, ['rev-list', '--count', `${base}..HEAD`])).trim());
  return { ...empty, exists: true, dirty, ahead, changed: new Set([...committed, ...dirty]).size };
}

/** The repository's checked-out branch, undefined on a detached HEAD. */
export async function currentBranch(repo: string): Promise<string | undefined> {
  const result = await gitTry(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** Paths `git status` reports (modified, staged, untracked), relative to the worktree root. */
export async function porcelainPaths(directory: string): Promise<string[]> {
  const text = await git(directory, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const fields = text.split('\0').filter((field) => field !== '');
  const paths: string[] = [];
  for (let index = 0; index < fields.length; index += 1) {
    const field = fields[index] ?? '';
    paths.push(field.slice(3));
    // A rename or copy is followed by its source path as a separate field.
    if (/^[RC]/.test(field)) index += 1;
  }
  return paths;
}

function withoutIncludes(paths: string[], include: readonly string[]): string[] {
  return paths.filter((path) => !include.some((entry) => path === entry || path.startsWith(`${entry}/`)));
}

// Files are copied (an agent may change its own .env), directories linked (node_modules is big).
function copyIncludes(repo: string, worktree: string, include: readonly string[]): string[] {
  const copied: string[] = [];
  for (const entry of include) {
    const source = join(repo, entry);
    const target = join(worktree, entry);
    if (!existsSync(source) || existsSync(target) || relative(repo, source).startsWith('..')) continue;
    mkdirSync(dirname(target), { recursive: true });
    if (lstatSync(source).isDirectory()) symlinkSync(source, target);
    else cpSync(source, target);
    copied.push(entry);
  }
  return copied;
}
