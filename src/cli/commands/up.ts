// `agentmux up` / `agentmux down`: start or stop a bundle's agents (tmux panes, ACP workers)
// through its relay, which is started on first use.
import type { Argv, CommandModule } from 'yargs';
import { listBundleIds, loadBundle } from '../../config/index.js';
import { AgentmuxError } from '../../core/errors.js';
import type { UpResult } from '../../core/protocol/index.js';
import type { CleanOutcome } from '../../workspace/index.js';
import type { RelayClient } from '../../client/index.js';
import { connectAs, rootsOf } from '../context.js';
import { noteChanges, reloadThrough } from './reload.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

export interface LifecycleArgs extends GlobalArgs {
  target?: string | undefined;
  group?: string | undefined;
  session?: string[] | undefined;
  /** `up` only. */
  fresh?: boolean;
  /** `up` only. */
  restart?: boolean;
  /** down: also remove merged, clean worktrees. */
  clean?: boolean | undefined;
  /** down --clean: remove worktrees even with unmerged or uncommitted work. */
  force?: boolean | undefined;
}

/** Bundles selected by a positional id, --group, or the default bundle. */
export function selectBundles(args: LifecycleArgs): string[] {
  if (args.target !== undefined && args.group !== undefined) {
    throw new AgentmuxError('validation_conflicting_selectors', 'pass either a bundle or --group, not both');
  }
  if (args.group === undefined) return [args.target ?? args.bundle ?? ''].filter(Boolean);
  const roots = rootsOf(args);
  const all = listBundleIds(roots.configDir).filter((id) => loadBundle(roots.configDir, id).sessions.length > 0);
  const chosen =
    args.group === 'ALL' ? all : all.filter((id) => loadBundle(roots.configDir, id).groups.includes(args.group ?? ''));
  if (chosen.length === 0) {
    throw new AgentmuxError('validation_unknown_group', `no bundle belongs to group ${args.group}`, {
      details: { group: args.group },
    });
  }
  return chosen;
}

/** The environment passed to new panes: the caller's, minus tmux and agentmux identity. */
export function paneEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key.startsWith('TMUX') || key.startsWith('AGENTMUX_')) continue;
    out[key] = value;
  }
  return out;
}

async function lifecycle(args: LifecycleArgs, action: 'up' | 'down'): Promise<UpResult[]> {
  const bundles = selectBundles(args);
  const targets = bundles.length > 0 ? bundles : [undefined];
  const results: UpResult[] = [];
  for (const bundle of targets) {
    const scoped = bundle === undefined ? args : { ...args, bundle };
    const connect = async (): Promise<RelayClient> =>
      (await connectAs(scoped, { autoStart: action === 'up' ? args.autostart : false })).client;
    let client = await connect();
    try {
      if (action === 'up') {
        // Edits since the relay started apply now; an invalid edit stops `up` with its problems.
        const reloaded = await reloadThrough(client, connect);
        client = reloaded.client;
        noteChanges(bundle ?? client.hello.bundle, reloaded.result.changes);
      }
      const sessions = args.session && args.session.length > 0 ? { sessions: args.session } : {};
      if (action === 'down') {
        results.push(await client.request('down', sessions, { timeoutMs: 60_000 }));
        continue;
      }
      const size = process.stdout.isTTY ? { cols: process.stdout.columns, rows: process.stdout.rows } : {};
      results.push(
        await client.request(
          'up',
          {
            ...sessions,
            fresh: args.fresh ?? false,
            restart: args.restart ?? false,
            cwd: process.cwd(),
            env: paneEnvironment(),
            ...size,
          },
          { timeoutMs: 120_000 },
        ),
      );
    } finally {
      client.close();
    }
  }
  return results;
}

/** Prints one line per session; exit 1 when any failed. */
export function printLifecycle(results: UpResult[], args: GlobalArgs): number {
  emit(args.json, results.length === 1 ? results[0] : results, () => results.flatMap(lifecycleLines));
  return results.some((r) => r.sessions.some((s) => s.outcome === 'failed')) ? 1 : 0;
}

function lifecycleLines(r: UpResult): string[] {
  return [
    `bundle ${r.bundle}`,
    ...r.sessions.map(
      (s) =>
        `  ${s.id.padEnd(16)} ${s.outcome.padEnd(9)} ${s.transport}${s.pane_id ? ` ${s.pane_id}` : ''}${s.pids && s.pids.length > 0 ? ` ended pids ${s.pids.join(',')}` : ''}${s.reason ? ` — ${s.reason}` : ''}`,
    ),
  ];
}

function cleanLines(cleaned: CleanOutcome[]): string[] {
  if (cleaned.length === 0) return ['worktrees: none configured'];
  return [
    'worktrees',
    ...cleaned.map(
      (c) => `  ${c.session.padEnd(16)} ${c.action.padEnd(9)} ${c.path}${c.reason ? ` — ${c.reason}` : ''}`,
    ),
  ];
}

const selectorOptions = (yargs: Argv<GlobalArgs>): Argv<LifecycleArgs> =>
  yargs
    .positional('target', { type: 'string', describe: 'Bundle id (default --bundle / default-bundle)' })
    .option('group', { alias: 'g', type: 'string', describe: 'Every bundle in this group (ALL = every bundle)' })
    .option('session', { alias: 's', type: 'string', array: true, describe: 'Only this session (repeatable)' });

// --fresh and --restart mean something only when starting: `down --help` does not list them.
const upOptions = (yargs: Argv<GlobalArgs>): Argv<LifecycleArgs> =>
  selectorOptions(yargs)
    .option('fresh', { type: 'boolean', default: false, describe: 'Start new conversations instead of resuming' })
    .option('restart', {
      type: 'boolean',
      default: false,
      describe: 'Restart sessions that are already running',
    });

export const upCommand: CommandModule<GlobalArgs, LifecycleArgs> = {
  command: 'up [target]',
  describe: "Start a bundle's agents (idempotent)",
  builder: upOptions,
  handler: (args) => execute(args, (a) => lifecycle(a, 'up'), printLifecycle),
};

export const downCommand: CommandModule<GlobalArgs, LifecycleArgs> = {
  command: 'down [target]',
  describe: "Stop a bundle's agents and end their processes",
  builder: (yargs) =>
    selectorOptions(yargs)
      .option('clean', {
        type: 'boolean',
        default: false,
        describe: 'Also remove agent worktrees whose branch is merged and clean (says what it kept)',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'With --clean: remove worktrees with unmerged or uncommitted work too',
      }),
  handler: (args) =>
    execute(
      args,
      async (a) => {
        const results = await lifecycle(a, 'down');
        if (!a.clean) return { results, cleaned: undefined };
        const { cleanWorktrees } = await import('./down-clean.js');
        return { results, cleaned: await cleanWorktrees(a) };
      },
      ({ results, cleaned }, a) => {
        if (cleaned === undefined) return printLifecycle(results, a);
        emit(a.json, { bundles: results, worktrees: cleaned }, () => [
          ...results.flatMap(lifecycleLines),
          ...cleanLines(cleaned),
        ]);
        return results.some((r) => r.sessions.some((s) => s.outcome === 'failed')) ? 1 : 0;
      },
    ),
};
