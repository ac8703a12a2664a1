// `agentmux tui` (and bare `agentmux` in a terminal): the operator dashboard. ink and react load
// only here, through `await import()`, so no other command pays for them.
import type { Argv, CommandModule } from 'yargs';
import { openRelay } from '../../client/index.js';
import type { TuiConfig } from '../../config/index.js';
import { loadCoders, loadTui } from '../../config/load.js';
import type { AgentChangeSummary, AgentManager } from '../../tui/index.js';
import type { AgentChange } from './agents.js';
import { AgentmuxError } from '../../core/errors.js';
import { bundleOf, entryPoint, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { note } from '../print/output.js';
import { execute } from '../run-command.js';
import { VERSION } from '../version.js';

/** The operator the dashboard speaks as: --as-session, $AGENTMUX_SESSION if an operator, default-session, the only operator. */
export function operatorOf(args: GlobalArgs, configDir: string, tui: TuiConfig = loadTui(configDir)): string {
  const operators = tui.operators.map((operator) => operator.id);
  const fromEnv = process.env.AGENTMUX_SESSION?.trim();
  const session =
    args['as-session'] ??
    (fromEnv && operators.includes(fromEnv) ? fromEnv : undefined) ??
    tui.defaultSession ??
    (operators.length === 1 ? operators[0] : undefined);
  if (session === undefined) {
    throw new AgentmuxError('validation_unknown_session', 'no operator session for the dashboard', {
      hint: 'add [[sessions]] id = "you" to tui.toml and set default-session, or pass --as-session',
    });
  }
  if (!operators.includes(session)) {
    throw new AgentmuxError('validation_role_mismatch', `${session} is not an operator session of tui.toml`, {
      details: { session, operators },
      hint: `pass --as-session with one of: ${operators.join(', ') || '(none; add [[sessions]] to tui.toml)'}`,
    });
  }
  return session;
}

/** Runs the dashboard until the user quits; resolves with the exit code. */
export async function runDashboard(args: GlobalArgs): Promise<number> {
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
    throw new AgentmuxError('validation_invalid_arguments', 'the dashboard needs a terminal on stdin and stdout');
  }
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const tui = loadTui(roots.configDir);
  const session = operatorOf(args, roots.configDir, tui);
  // Loading ink takes hundreds of milliseconds; reach (or start) the relay meanwhile. A failure
  // here is left to the dashboard, which shows it and retries.
  const early = openRelay({
    roots,
    identity: { bundle, session, role: 'operator' },
    clientName: 'agentmux-tui',
    clientVersion: VERSION,
    autoStart: args.autostart,
    entryPoint: entryPoint(),
  });
  early.catch(() => undefined);
  // ink draws nothing but static output when it believes it runs in CI; a dashboard on a
  // terminal is interactive whatever the environment says. ink reads this when it loads.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { runTui } = await import('../../tui/index.js');
  return runTui({
    roots,
    bundle,
    session,
    autoStart: args.autostart,
    entryPoint: entryPoint(),
    version: VERSION,
    early,
    detachKey: tui.detachKey,
    agents: agentManager({ ...args, bundle, 'as-session': session }),
  });
}

/** `n` and `x` in the dashboard run `agentmux add` and `agentmux rm` as the operator. */
export function agentManager(args: GlobalArgs): AgentManager {
  const summary = (change: AgentChange): AgentChangeSummary => ({
    session: change.session,
    outcome: change.agent?.outcome,
    reason: change.agent?.reason,
    notes: change.notes,
  });
  return {
    coders: () => [...loadCoders(rootsOf(args).configDir).keys()],
    // The relay runs (the dashboard is connected to it); the pane gets the dashboard's environment.
    // Loaded on first use: the bundle editing and worktree code are not needed for the first frame.
    add: async (session, coder) => {
      const { runAdd } = await import('./agents.js');
      return summary(await runAdd({ ...args, session, coder, start: true, autostart: false }));
    },
    remove: async (session) => {
      const { runRm } = await import('./agents.js');
      return summary(await runRm({ ...args, session, force: false }));
    },
  };
}

export const tuiCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'tui',
  describe: 'Open the operator dashboard (sessions, live messages, composer)',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runDashboard, (code) => code),
};

/** Bare `agentmux`: the dashboard in a terminal, else usage on stderr and exit 2. */
export function bareCommand(): CommandModule<GlobalArgs, GlobalArgs> {
  let parser: Argv<GlobalArgs> | undefined;
  return {
    command: '$0',
    describe: false,
    builder: (yargs: Argv<GlobalArgs>) => {
      parser = yargs;
      return yargs;
    },
    handler: async (args) => {
      if (process.stdin.isTTY === true && process.stdout.isTTY === true) {
        await execute(args, runDashboard, (code) => code);
        return;
      }
      parser?.showHelp('error');
      note('');
      note('agentmux: validation_missing_subcommand: name a command (see agentmux --help)');
      process.exitCode = 2;
    },
  };
}
