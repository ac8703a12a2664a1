// Public surface of src/workspace: git worktrees of agents (created at `up`, diffed, merged,
// cleaned) and the directory an agent starts in.
export { DEFAULT_GIT_TIMEOUT_MS, git, gitTry } from './git.js';
export type { GitResult } from './git.js';
export { cleanWorktree, mergeWorktree, worktreeDiff } from './merge.js';
export type { CleanOutcome, MergeOutcome, WorktreeDiff } from './merge.js';
export { worktreeSummaries } from './summary.js';
export type { WorktreeSummary } from './summary.js';
export { prepareWorkdir } from './workdir.js';
export type { WorkdirInput } from './workdir.js';
export { BRANCH_PREFIX, defaultWorktreeRoot, worktreePlan } from './worktree-plan.js';
export type { WorktreePlan } from './worktree-plan.js';
export { currentBranch, ensureWorktree, repositoryRoot, worktreeStatus } from './worktrees.js';
export type { PreparedWorktree, WorktreeStatus } from './worktrees.js';
