// Runs `agentmux tui` in a pane of a private tmux server (never the default one) and reads its
// screen, for the dashboard's end-to-end tests.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTMUX_BIN, cliEnv, type CliResult } from '../../helpers/cli.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { killQuietly, waitUntilGone } from '../runtime/helpers/processes.js';

/** A dashboard running in its own tmux server. */
export interface UiPane {
  readonly socket: string;
  /** The pane's screen as lines (trailing blank lines dropped). */
  screen(): Promise<string[]>;
  /** `tmux send-keys` to the pane; `literal` types text, otherwise key names. */
  keys(keys: string[], literal?: boolean): Promise<void>;
  /** Polls the screen until `predicate` holds; returns that screen. */
  waitFor(predicate: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  tmux(args: string[]): Promise<CliResult>;
  /** Pid of the dashboard process (the child of the pane's shell). */
  pid(): Promise<number>;
  /** The dashboard's exit code once it has exited. */
  exitCode(): number | undefined;
  kill(): Promise<void>;
}

/** Starts the dashboard at `columns`×`rows` with the roots' config; `args` are extra CLI arguments, `env` extra variables. */
export async function startUi(
  roots: TempRoots,
  options: { columns?: number; rows?: number; args?: string[]; env?: Record<string, string> } = {},
): Promise<UiPane> {
  const socket = join(roots.root, 'ui.sock');
  const env = cliEnv(roots, options.env);
  delete env.CI;
  const tmux = (args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile('tmux', ['-S', socket, ...args], { env, timeout: 10_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
  // The shell stays as the pane's process to record the exit code: tmux 3.3 sometimes leaves an
  // exited pane command unreaped, so #{pane_dead_status} cannot be relied on.
  const exitFile = join(roots.root, 'tui.exit');
  const command = `${[AGENTMUX_BIN, 'tui', ...(options.args ?? [])].map(quote).join(' ')}`;
  const started = await tmux([
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    'ui',
    '-x',
    String(options.columns ?? 120),
    '-y',
    String(options.rows ?? 40),
    `${command} 2>>${quote(join(roots.root, 'tui.stderr'))}; echo $? > ${quote(exitFile)}`,
  ]);
  if (started.code !== 0) throw new Error(`tmux new-session failed: ${started.stderr}`);
  await tmux(['set-option', '-g', 'remain-on-exit', 'on']);
  const screen = async (): Promise<string[]> => {
    const result = await tmux(['capture-pane', '-p', '-t', 'ui']);
    return result.stdout.replace(/\n+$/, '').split('\n');
  };
  return {
    socket,
    screen,
    tmux,
    keys: async (keys, literal = false) => {
      const result = await tmux(['send-keys', '-t', 'ui', ...(literal ? ['-l'] : []), ...keys]);
      if (result.code !== 0) throw new Error(`send-keys failed: ${result.stderr}`);
    },
    waitFor: async (predicate, what, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = (await screen()).join('\n');
        if (predicate(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      let stderr = '';
      try {
        stderr = readFileSync(join(roots.root, 'tui.stderr'), 'utf8').slice(-2000);
      } catch {
        // none
      }
      throw new Error(`timed out waiting for ${what}; screen:\n${last}\nstderr:\n${stderr}`);
    },
    pid: async () => {
      const shell = Number.parseInt((await tmux(['display-message', '-p', '-t', 'ui', '#{pane_pid}'])).stdout, 10);
      const child = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/)[0];
      return Number.parseInt(child ?? '', 10);
    },
    exitCode: () => {
      try {
        return Number.parseInt(readFileSync(exitFile, 'utf8'), 10);
      } catch {
        return undefined;
      }
    },
    kill: async () => {
      // The dashboard outlives its pane for a moment after kill-server and would reconnect,
      // auto-starting a relay (and its tmux server) after the test's teardown: end it first.
      const pane = await tmux(['display-message', '-p', '-t', '=ui:', '#{pane_pid}']);
      const children = pane.code === 0 ? childPids(Number(pane.stdout.trim())) : [];
      for (const pid of children) killQuietly(pid, 'SIGTERM');
      for (const pid of children) await waitUntilGone(pid).catch(() => killQuietly(pid, 'SIGKILL'));
      await tmux(['kill-server']);
    },
  };
}

/** The direct children of `pid` (the pane's shell runs the dashboard as its child). */
function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .split(' ')
      .filter((word) => word !== '')
      .map(Number);
  } catch {
    return [];
  }
}
