// `agentmux attach SESSION`: hands this terminal to an agent's tmux session on the bundle's
// private server through the attach client (node-pty); the detach key (default C-q) comes back.
import { execFileSync } from 'node:child_process';
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

/** Attaches this terminal to SESSION until the detach key or the session's end; resolves with the exit code. */
export async function runAttach(args: AttachArgs): Promise<number> {
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
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
    throw new AgentmuxError('validation_invalid_arguments', 'attach needs a terminal on stdin and stdout');
  }
  const tmuxCommand = process.env.AGENTMUX_TMUX_COMMAND ?? 'tmux';
  const socketPath = bundlePaths(roots.stateDir, bundle).tmuxSocket;
  if (!sessionExists(tmuxCommand, socketPath, session)) {
    throw new AgentmuxError('runtime_target_unavailable', `${session} is not running; start it with \`agentmux up\``, {
      details: { session },
    });
  }
  const { attachSession } = await import('../../tui/attach/index.js');
  const result = await attachSession({ socketPath, session, detachKey: team.tui.detachKey, tmuxCommand });
  switch (result.outcome) {
    case 'detached':
      note(`agentmux: back from ${session} (${team.tui.detachKey}); \`agentmux attach ${session}\` opens it again`);
      return 0;
    case 'session_ended':
      note(`agentmux: ${session} ended while attached`);
      return 0;
    case 'spawn_failed':
      throw new AgentmuxError('runtime_target_unavailable', `could not start a tmux client for ${session}`, {
        details: { session, error: result.error ?? null },
      });
  }
}

function sessionExists(tmux: string, socketPath: string, session: string): boolean {
  try {
    execFileSync(tmux, ['-S', socketPath, 'has-session', '-t', `=${session}`], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export const attachCommand: CommandModule<GlobalArgs, AttachArgs> = {
  command: 'attach [session]',
  describe: "Open an agent's tmux session in this terminal (the detach key, default C-q, comes back)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.positional('session', {
      type: 'string',
      describe: 'Session id (default: the only tmux agent)',
    }),
  handler: (args) => execute(args, runAttach, (code) => code),
};
