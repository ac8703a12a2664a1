// The new-session command for one agent session, validated before tmux sees it.
import { checkSessionId, invalidParams } from './tmux-targets.js';

/** A session to create: `command` runs in `cwd` with `env` on top of the server's environment. */
export interface NewSessionSpec {
  id: string;
  cwd: string;
  command: string;
  env: Record<string, string>;
  width: number;
  height: number;
  /** Run this program with these arguments directly (no shell parsing by tmux); wins over `command`. */
  argv?: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The argv for `spec`: detached, sized, with its environment, printing the new pane's id. */
export function newSessionArgs(spec: NewSessionSpec): string[] {
  checkSessionId(spec.id);
  for (const [name, value] of [['width', spec.width] as const, ['height', spec.height] as const]) {
    if (!Number.isInteger(value) || value < 2 || value > 10_000) {
      throw invalidParams(`session ${name} must be an integer from 2 to 10000, got ${value}`);
    }
  }
  const env: string[] = [];
  for (const [name, value] of Object.entries(spec.env)) {
    if (!ENV_NAME.test(name)) throw invalidParams(`not an environment variable name: ${JSON.stringify(name)}`);
    if (value.includes('\0')) throw invalidParams(`environment variable ${name} contains NUL`);
    env.push('-e', `${name}=${value}`);
  }
  const size = ['-x', String(spec.width), '-y', String(spec.height)];
  const command = spec.argv && spec.argv.length > 0 ? spec.argv : spec.command.trim() === '' ? [] : [spec.command];
  return ['new-session', '-d', '-s', spec.id, '-c', spec.cwd, ...size, ...env, '-P', '-F', '#{pane_id}', ...command];
}
