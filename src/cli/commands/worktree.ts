// `agentmux diff SESSION` and `agentmux merge SESSION`: review and land an agent's worktree.
// Pure git on the configured plan: the relay is not involved.
import type { Argv, CommandModule } from 'yargs';
import { loadBundle } from '../../config/index.js';
import { AgentmuxError } from '../../core/errors.js';
import {
  mergeWorktree,
  worktreeDiff,
  worktreePlan,
  worktreeStatus,
  type MergeOutcome,
  type WorktreeDiff,
  type WorktreePlan,
  type WorktreeStatus,
} from '../../workspace/index.js';
import { bundleOf, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

/** Arguments of `diff` and `merge`. */
export interface WorktreeArgs extends GlobalArgs {
  session: string;
  stat: boolean;
}

/** The worktree plans of the bundle's sessions that use one (all, or the named ones). */
export function worktreePlans(args: GlobalArgs, sessions?: readonly string[]): WorktreePlan[] {
  const roots = rootsOf(args);
  const bundle = loadBundle(roots.configDir, bundleOf(args, roots));
  const plans: WorktreePlan[] = [];
  for (const id of sessions ?? bundle.sessions.map((s) => s.id)) {
    const session = bundle.sessions.find((s) => s.id === id);
    if (session === undefined) {
      throw new AgentmuxError('validation_unknown_session', `session ${id} is not in bundle ${bundle.id}`, {
        details: { session: id },
      });
    }
    const plan = worktreePlan(bundle, session, roots.stateDir);
    if (plan !== undefined) plans.push(plan);
    else if (sessions !== undefined) {
      throw new AgentmuxError('validation_not_a_worktree_session', `session ${id} does not use a worktree`, {
        details: { session: id },
      });
    }
  }
  return plans;
}

/** Branch and changed-file count of each worktree session (missing repositories are skipped). */
export async function worktreeStatuses(args: GlobalArgs): Promise<Map<string, WorktreeStatus>> {
  const statuses = new Map<string, WorktreeStatus>();
  for (const plan of worktreePlans(args)) {
    const status = await worktreeStatus(plan).catch(() => undefined);
    if (status !== undefined) statuses.set(plan.session, status);
  }
  return statuses;
}

/** `diff`: the agent's changes against its base. */
export async function runDiff(args: WorktreeArgs): Promise<WorktreeDiff> {
  const [plan] = worktreePlans(args, [args.session]);
  if (plan === undefined)
    throw new AgentmuxError('validation_not_a_worktree_session', `no worktree for ${args.session}`);
  return worktreeDiff(plan);
}

/** `merge`: fast-forward or merge the agent's branch into its base, or refuse changing nothing. */
export async function runMerge(args: WorktreeArgs): Promise<MergeOutcome> {
  const [plan] = worktreePlans(args, [args.session]);
  if (plan === undefined)
    throw new AgentmuxError('validation_not_a_worktree_session', `no worktree for ${args.session}`);
  return mergeWorktree(plan);
}

function diffLines(diff: WorktreeDiff, statOnly: boolean): string[] {
  const head = `# ${diff.session}: ${diff.branch} against ${diff.base}`;
  const untracked = diff.untracked.length > 0 ? [`# untracked (not in the patch): ${diff.untracked.join(', ')}`] : [];
  const body = statOnly ? diff.stat : `${diff.stat}\n${diff.patch}`;
  return [head, ...body.replace(/\n$/, '').split('\n'), ...untracked];
}

function mergeLines(outcome: MergeOutcome): string[] {
  const what: Record<MergeOutcome['result'], string> = {
    'fast-forward': 'fast-forwarded',
    merged: 'merged into',
    'up-to-date': 'already in',
  };
  return [`${outcome.branch} ${what[outcome.result]} ${outcome.base} (${outcome.commit.slice(0, 12)})`];
}

const sessionPositional = (yargs: Argv<GlobalArgs>): Argv<WorktreeArgs> =>
  yargs
    .positional('session', { type: 'string', demandOption: true, describe: 'An agent session with worktree = true' })
    .option('stat', { type: 'boolean', default: false, describe: 'Only the diff stat' });

/** The `diff` command module. */
export const diffCommand: CommandModule<GlobalArgs, WorktreeArgs> = {
  command: 'diff <session>',
  describe: "Show an agent's worktree changes (stat and patch) against its base branch",
  builder: sessionPositional,
  handler: (args) => execute(args, runDiff, (diff) => emit(args.json, diff, (d) => diffLines(d, args.stat))),
};

/** The `merge` command module. */
export const mergeCommand: CommandModule<GlobalArgs, WorktreeArgs> = {
  command: 'merge <session>',
  describe: "Merge an agent's branch into its base (refuses, changing nothing, on conflicts)",
  builder: sessionPositional,
  handler: (args) => execute(args, runMerge, (outcome) => emit(args.json, outcome, mergeLines)),
};
