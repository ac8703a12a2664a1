// Where an agent's worktree lives and which branch it works on: pure, from the configuration.
import { join } from 'node:path';

import { DEFAULT_WORKTREE_INCLUDE, type AgentSessionConfig, type BundleConfig } from '../config/index.js';

/** Branches of agent worktrees are `agentmux/<session>`. */
export const BRANCH_PREFIX = 'agentmux/';

/** One agent's worktree as configured (nothing checked on disk). */
export interface WorktreePlan {
  bundle: string;
  session: string;
  /** The session's configured directory: inside the repository the worktree is made from. */
  directory: string;
  /** The worktree's root directory. */
  path: string;
  branch: string;
  /** Configured base branch; undefined: the repository's current branch when the worktree is made. */
  base: string | undefined;
  /** Untracked paths (relative to the repository root) copied or linked into a new worktree. */
  include: string[];
}

/** The default worktree root: under the state root, so no repository's tree is touched. */
export function defaultWorktreeRoot(stateDir: string): string {
  return join(stateDir, 'worktrees');
}

/** The worktree plan of a session, or undefined when it does not use one. */
export function worktreePlan(
  bundle: BundleConfig,
  session: AgentSessionConfig,
  stateDir: string,
): WorktreePlan | undefined {
  if (session.worktree !== true) return undefined;
  return {
    bundle: bundle.id,
    session: session.id,
    directory: session.directory,
    path: join(bundle.worktreeRoot ?? defaultWorktreeRoot(stateDir), bundle.id, session.id),
    branch: `${BRANCH_PREFIX}${session.id}`,
    base: session.base,
    include: bundle.worktreeInclude ?? [...DEFAULT_WORKTREE_INCLUDE],
  };
}

/** The git config key that remembers a branch's base (`branch.<b>.agentmux-base`). */
export function baseConfigKey(branch: string): string {
  return `branch.${branch}.agentmux-base`;
}
