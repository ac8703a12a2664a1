// `agentmux attach SESSION`: hands this terminal to an agent's tmux session on the bundle's
// private server. Leave with the detach key (default C-q) or the tmux prefix + d.
import { spawnSync } from 'node:child_process';
import type { Argv, CommandModule } from 'yargs';
import { loadTeam } from '../../config/index.js';
import { AgentmuxError } from '../../core/errors.js';
import { bundlePaths } from '../../runtime/index.js';
import { bundleOf, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { note } from '../print/output.js';
import { execute } from '../run-command.js';

export interface AttachArgs extends GlobalArgs {
  session?: string | undefined;
}

/** Runs `tmux attach-session -t =SESSION` with this terminal; returns tmux's exit code. */
export function runAttach(args: AttachArgs): number {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const team = loadTeam(roots.configDir, bundle);
  const tmuxAgents = team.members.filter((m) => m.transport === 'tmux').map((m) => m.id);
  const session = args.session ?? (tmuxAgents.length === 1 ? tmuxAgents[0] : undefined);
  if (session === undefined || !tmuxAgents.includes(session)) {
    throw new AgentmuxError(
      'validation_unknown_session',
      `name one of the tmux sessions: ${tmuxAgents.join(', ') || '(none)'}`,
      {
        details: { session: args.session ?? null, sessions: tmuxAgents },
      },
    );
  }
  if (!process.stdin.isTTY) throw new AgentmuxError('validation_invalid_arguments', 'attach needs a terminal');
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  note(`agentmux: attaching to ${session}; press ${team.tui.detachKey} to come back`);
  const tmux = process.env.AGENTMUX_TMUX_COMMAND ?? 'tmux';
  const result = spawnSync(
    tmux,
    ['-S', bundlePaths(roots.stateDir, bundle).tmuxSocket, 'attach-session', '-t', `=${session}`],
    {
      stdio: 'inherit',
      env,
    },
  );
  if (result.status !== 0) {
    throw new AgentmuxError('runtime_target_unavailable', `${session} is not running; start it with \`agentmux up\``);
  }
  return 0;
}

export const attachCommand: CommandModule<GlobalArgs, AttachArgs> = {
  command: 'attach [session]',
  describe: "Open an agent's tmux session in this terminal",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.positional('session', {
      type: 'string',
      describe: 'Session id (default: the only tmux agent)',
    }),
  handler: (args) => execute(args, runAttach, (code) => code),
};
