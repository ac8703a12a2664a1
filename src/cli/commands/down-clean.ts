// `down --clean`: after the agents stopped, remove the worktrees whose branch is merged into its
// base and has nothing uncommitted; keep (and say why) everything else unless --force.
import { cleanWorktree, type CleanOutcome } from '../../workspace/index.js';
import type { LifecycleArgs } from './up.js';
import { worktreePlans } from './worktree.js';

/** Cleans the selected sessions' worktrees (every worktree session without --session). */
export async function cleanWorktrees(args: LifecycleArgs): Promise<CleanOutcome[]> {
  const scoped = args.target === undefined ? args : { ...args, bundle: args.target };
  const only = args.session && args.session.length > 0 ? new Set(args.session) : undefined;
  const outcomes: CleanOutcome[] = [];
  for (const plan of worktreePlans(scoped)) {
    if (only === undefined || only.has(plan.session)) outcomes.push(await cleanWorktree(plan, args.force === true));
  }
  return outcomes;
}
