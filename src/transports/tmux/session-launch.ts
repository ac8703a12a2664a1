// What an agent's pane runs and with which environment (DESIGN Settled details 20): the
// caller's environment, then the coder's, then the five AGENTMUX_* variables and the
// instance marker used to find every process of this agent later.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Member, TmuxCoder } from '../../config/index.js';
import { AgentmuxError } from '../../core/errors.js';
import { createExclusive } from '../../core/safe-file.js';

/** The parts of an `up` request the transport uses. */
export interface UpRequest {
  sessions?: string[] | undefined;
  fresh?: boolean | undefined;
  restart?: boolean | undefined;
  cwd?: string | undefined;
  cols?: number | undefined;
  rows?: number | undefined;
  env?: Record<string, string> | undefined;
}

const PLACEHOLDER = '{coder-session-id}';

/** initial-command, or resume-command with the conversation id when one is known. */
export function sessionCommand(
  member: Member & { coder: TmuxCoder },
  recordedConversation: string | undefined,
): string {
  const conversation = member.session?.coderSessionId ?? recordedConversation;
  const resume = member.coder.resumeCommand;
  if (conversation === undefined || resume === undefined) return member.coder.initialCommand;
  if (!/^[A-Za-z0-9._:-]{1,200}$/.test(conversation)) {
    throw new AgentmuxError('validation_invalid_params', `conversation id for ${member.id} has unexpected characters`, {
      details: { session: member.id },
    });
  }
  return resume.replaceAll(PLACEHOLDER, conversation);
}

/** The pane's environment, later entries winning. */
export function paneEnvironment(input: {
  request: UpRequest;
  member: Member & { coder: TmuxCoder };
  bundle: string;
  roots: { configDir: string; stateDir: string };
  entryPoint: string;
  instance: string;
  /** The session's credential (AGENTMUX_TOKEN); kept off every command line by paneLaunch. */
  credential?: string | undefined;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.request.env ?? {})) {
    if (key.startsWith('TMUX') || key.startsWith('AGENTMUX_') || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    env[key] = value;
  }
  for (const { name, value } of input.member.coder.environment) env[name] = value;
  env.AGENTMUX_COMMAND = input.entryPoint;
  env.AGENTMUX_BUNDLE = input.bundle;
  env.AGENTMUX_SESSION = input.member.id;
  env.AGENTMUX_STATE_DIR = input.roots.stateDir;
  env.AGENTMUX_CONFIG_DIR = input.roots.configDir;
  env.AGENTMUX_INSTANCE = input.instance;
  if (input.credential !== undefined) env.AGENTMUX_TOKEN = input.credential;
  return env;
}

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * How a pane starts with its environment without exposing it: the variables go into a 0600
 * file in the 0700 runtime directory (a `-e NAME=VALUE` on the tmux command line would be
 * readable by every user in `ps`), and the pane runs `/bin/sh` to read it, delete it, load it
 * and then run the coder's command line. The file has an unpredictable name, is created with
 * O_EXCL|O_NOFOLLOW, and lives only until the pane has read it (the caller removes it when the
 * pane never starts: `envFile`). Only the AGENTMUX_* variables (no secrets) stay on the command
 * line.
 */
export function paneLaunch(
  runtimeDir: string,
  session: string,
  command: string,
  env: Record<string, string>,
): { argv: string[]; env: Record<string, string>; envFile: string } {
  const visible: Record<string, string> = {};
  const lines: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('AGENTMUX_') && name !== 'AGENTMUX_TOKEN') visible[name] = value;
    else lines.push(`export ${name}=${shellQuote(value)}`);
  }
  const file = join(runtimeDir, `pane-${session}.${randomBytes(8).toString('hex')}.env`);
  createExclusive(file, `${lines.join('\n')}\n`, 0o600);
  return { argv: ['/bin/sh', '-c', PANE_WRAPPER, 'agentmux-pane', file, command], env: visible, envFile: file };
}

// Read the file, delete it whatever happens next, then load it and run the command.
const PANE_WRAPPER =
  'agentmux_env=$(cat -- "$1"); rm -f -- "$1"; eval "$agentmux_env" && unset agentmux_env && exec /bin/sh -c "$2"';

/** Removes a pane environment file the pane never read (its start failed); missing is fine. */
export function removePaneEnvFile(file: string): void {
  rmSync(file, { force: true });
}
