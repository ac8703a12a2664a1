// One line per agent worktree for the dashboard: branch, changed files and the diff's shortstat.
import type { BundleConfig } from '../config/index.js';
import { git } from './git.js';
import { worktreePlan } from './worktree-plan.js';
import { worktreeStatus } from './worktrees.js';

/** What the dashboard shows for an agent's worktree. */
export interface WorktreeSummary {
  branch: string;
  /** Files changed against the base, committed or not. */
  changed: number;
  /** `git diff --shortstat` against the merge base ('' when nothing changed or no base). */
  shortstat: string;
}

/** Summaries of the bundle's existing worktrees, by session id; a session git cannot read is left out. */
export async function worktreeSummaries(bundle: BundleConfig, stateDir: string): Promise<Map<string, WorktreeSummary>> {
  const summaries = new Map<string, WorktreeSummary>();
  for (const session of bundle.sessions) {
    const plan = worktreePlan(bundle, session, stateDir);
    if (plan === undefined) continue;
    try {
      const status = await worktreeStatus(plan);
      if (!status.exists) continue;
      let shortstat = '';
      if (status.base !== undefined) {
        const mergeBase = (await git(plan.path, ['merge-base', status.base, 'HEAD'])).trim();
        shortstat = (await git(plan.path, ['diff', '--shortstat', mergeBase])).trim();
      }
      summaries.set(session.id, { branch: status.branch, changed: status.changed, shortstat });
    } catch {
      // A repository that moved or a git that failed: the dashboard just shows no branch.
    }
  }
  return summaries;
}
