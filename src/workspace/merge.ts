// `diff`, `merge` and `down --clean` for agent worktrees. A merge is checked with
// `git merge-tree --write-tree` (git ≥ 2.38) before anything is touched, so a conflict is
// reported with its files while the base branch, its checkout and the worktree stay as they were.
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { AgentmuxError } from '../core/errors.js';
import { git, gitLines, gitTry } from './git.js';
import type { WorktreePlan } from './worktree-plan.js';
import { repositoryRoot, worktreeStatus, type WorktreeStatus } from './worktrees.js';

/** An agent's changes against its base. */
export interface WorktreeDiff {
  session: string;
  branch: string;
  base: string;
  stat: string;
  patch: string;
  /** New files git does not track yet (not in the patch). */
  untracked: string[];
}

/** What `merge` did. */
export interface MergeOutcome {
  session: string;
  branch: string;
  base: string;
  result: 'fast-forward' | 'merged' | 'up-to-date';
  commit: string;
}

/** What `down --clean` did with one worktree. */
export interface CleanOutcome {
  session: string;
  path: string;
  branch: string;
  action: 'removed' | 'kept' | 'absent';
  reason?: string;
}

/** Stat and patch of the worktree (committed and uncommitted) against the merge base. */
export async function worktreeDiff(plan: WorktreePlan): Promise<WorktreeDiff> {
  const status = await existingStatus(plan);
  const base = requireBase(status);
  const mergeBase = (await git(plan.path, ['merge-base', base, 'HEAD'])).trim();
  const stat = await git(plan.path, ['diff', '--stat', mergeBase]);
  const patch = await git(plan.path, ['diff', mergeBase]);
  const untracked = gitLines(await git(plan.path, ['ls-files', '--others', '--exclude-standard'])).filter(
    (path) => !plan.include.some((entry) => path === entry || path.startsWith(`${entry}/`)),
  );
  return { session: plan.session, branch: plan.branch, base, stat, patch, untracked };
}

/** Fast-forwards or merges the agent branch into its base; refuses, changing nothing, on any obstacle. */
export async function mergeWorktree(plan: WorktreePlan): Promise<MergeOutcome> {
  const status = await existingStatus(plan);
  const base = requireBase(status);
  if (status.dirty.length > 0) {
    throw refused(`${plan.session} has uncommitted changes; commit them in ${plan.path} first`, status, {
      dirty: status.dirty,
    });
  }
  const repo = await repositoryRoot(plan.directory);
  const baseRef = `refs/heads/${base}`;
  if ((await gitTry(repo, ['rev-parse', '--verify', '--quiet', baseRef])).code !== 0) {
    throw refused(`the base ${base} is not a local branch`, status, {});
  }
  const baseCommit = (await git(repo, ['rev-parse', baseRef])).trim();
  const branchCommit = (await git(repo, ['rev-parse', `refs/heads/${plan.branch}`])).trim();
  const outcome = (result: MergeOutcome['result'], commit: string): MergeOutcome => ({
    session: plan.session,
    branch: plan.branch,
    base,
    result,
    commit,
  });
  if ((await gitTry(repo, ['merge-base', '--is-ancestor', branchCommit, baseCommit])).code === 0) {
    return outcome('up-to-date', baseCommit);
  }
  const checkout = await checkoutOf(repo, baseRef);
  if (checkout !== undefined) {
    // Untracked files are left alone by a merge unless it would overwrite them, which git refuses.
    const tracked = await trackedChanges(checkout);
    if (tracked.length > 0) {
      throw refused(`${base} is checked out in ${checkout} with uncommitted changes: ${tracked.join(', ')}`, status, {
        checkout,
        dirty: tracked,
      });
    }
  }
  const fastForward = (await gitTry(repo, ['merge-base', '--is-ancestor', baseCommit, branchCommit])).code === 0;
  if (!fastForward) {
    const probe = await gitTry(repo, [
      'merge-tree',
      '--write-tree',
      '--name-only',
      '--no-messages',
      baseCommit,
      branchCommit,
    ]);
    if (probe.code === 1) {
      const conflicts = gitLines(probe.stdout).slice(1);
      throw refused(`merging ${plan.branch} into ${base} conflicts in: ${conflicts.join(', ')}`, status, { conflicts });
    }
    if (probe.code !== 0) throw refused(`git merge-tree failed: ${probe.stderr.trim()}`, status, {});
  }
  if (checkout !== undefined) {
    // The base is checked out: let git move it and its files (ff, or a merge commit).
    const mode = fastForward ? ['--ff-only'] : ['--no-ff', '--no-edit', '-m', `Merge ${plan.branch} (agentmux)`];
    await git(checkout, ['merge', ...mode, plan.branch]);
    return outcome(fastForward ? 'fast-forward' : 'merged', (await git(checkout, ['rev-parse', 'HEAD'])).trim());
  }
  if (fastForward) {
    await git(repo, ['update-ref', baseRef, branchCommit, baseCommit]);
    return outcome('fast-forward', branchCommit);
  }
  const tree = gitLines((await gitTry(repo, ['merge-tree', '--write-tree', baseCommit, branchCommit])).stdout)[0] ?? '';
  const message = `Merge ${plan.branch} into ${base} (agentmux)`;
  const commit = (await git(repo, ['commit-tree', tree, '-p', baseCommit, '-p', branchCommit, '-m', message])).trim();
  await git(repo, ['update-ref', baseRef, commit, baseCommit]);
  return outcome('merged', commit);
}

/** Removes a worktree and its branch when merged and clean (or with `force`); says why it kept one. */
export async function cleanWorktree(plan: WorktreePlan, force: boolean): Promise<CleanOutcome> {
  const status = await worktreeStatus(plan);
  const base = { session: plan.session, path: plan.path, branch: plan.branch };
  if (!status.exists) return { ...base, action: 'absent' };
  if (!force) {
    if (status.dirty.length > 0) {
      return { ...base, action: 'kept', reason: `uncommitted changes: ${status.dirty.join(', ')}` };
    }
    if (status.base === undefined) return { ...base, action: 'kept', reason: 'no base branch known' };
    if (status.ahead > 0) {
      return { ...base, action: 'kept', reason: `${status.ahead} commit(s) not merged into ${status.base}` };
    }
  }
  const repo = await repositoryRoot(plan.directory);
  // Our own copies and links go first, so a link is removed and never followed.
  for (const entry of plan.include) {
    const target = join(plan.path, entry);
    if (existsSync(target) || isLink(target)) rmSync(target, { recursive: !isLink(target), force: true });
  }
  await git(repo, ['worktree', 'remove', '--force', plan.path]);
  await git(repo, ['branch', force ? '-D' : '-d', plan.branch]);
  return {
    ...base,
    action: 'removed',
    ...(force && status.dirty.length + status.ahead > 0 ? { reason: 'forced' } : {}),
  };
}

async function existingStatus(plan: WorktreePlan): Promise<WorktreeStatus> {
  const status = await worktreeStatus(plan);
  if (!status.exists) {
    throw new AgentmuxError('runtime_target_unavailable', `${plan.session} has no worktree at ${plan.path} yet`, {
      details: { session: plan.session, path: plan.path },
      hint: 'run `agentmux up` to create it',
    });
  }
  return status;
}

function requireBase(status: WorktreeStatus): string {
  if (status.base !== undefined) return status.base;
  throw refused(`${status.branch} has no base branch`, status, {}, 'set `base = "<branch>"` on the session');
}

// The worktree (main or linked) that has `ref` checked out, if any.
async function checkoutOf(repo: string, ref: string): Promise<string | undefined> {
  const listing = await git(repo, ['worktree', 'list', '--porcelain']);
  let path: string | undefined;
  for (const line of listing.split('\n')) {
    if (line.startsWith('worktree ')) path = line.slice('worktree '.length);
    else if (line === `branch ${ref}`) return path;
  }
  return undefined;
}

async function trackedChanges(directory: string): Promise<string[]> {
  return gitLines(await git(directory, ['diff', 'HEAD', '--name-only']));
}

function refused(
  message: string,
  status: WorktreeStatus,
  details: Record<string, unknown>,
  hint?: string,
): AgentmuxError {
  return new AgentmuxError('validation_merge_refused', message, {
    details: { session: status.session, branch: status.branch, base: status.base, ...details },
    ...(hint === undefined ? {} : { hint }),
  });
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
