// The injected interface to one tmux server, and its plain implementation that spawns a tmux
// client per command. Callers pass one tmux command per call (no `;` chains) without `-S`.
import { execFile } from 'node:child_process';
import { escapeArgvArgument } from './quote.js';
import { elapsedSince, stderrTail, tmuxCommandError, tmuxFailure } from './tmux-errors.js';

export { tmuxCommandError } from './tmux-errors.js';

/** Default bound for one tmux command; every command has a deadline. */
export const DEFAULT_TMUX_TIMEOUT_MS = 5_000;

/** What one tmux command printed and its exit status (0 ok, non-zero when tmux reported an error). */
export interface TmuxResult {
  stdout: string;
  stderr: string;
  code: number;
  /** How long tmux took to answer, when the runner measured it (errors report it). */
  durationMs?: number;
}

/** Options for one command. */
export interface TmuxRunOptions {
  /** Deadline for this command; the default is DEFAULT_TMUX_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * Runs tmux commands against one server. `run` resolves for every command tmux answered, whatever
 * its exit status, and rejects with `runtime_tmux_failed` only when tmux could not be run, the
 * deadline passed or the runner is closed. `close` is idempotent and releases any process held.
 */
export interface TmuxRunner {
  run(args: string[], options?: TmuxRunOptions): Promise<TmuxResult>;
  close(): void;
}

/**
 * `-u`: the client is UTF-8 whatever the locale. Without it a client started with no UTF-8
 * LC_ALL/LC_CTYPE/LANG (`env -i`, the MCP SDK's default child environment) gets tabs and
 * non-ASCII in format output replaced by `_` (`%0_1_y`), and every field we parse is lost.
 */
export const LOCALE_PROOF_FLAGS: readonly string[] = ['-u'];

/** The tmux program: `$AGENTMUX_TMUX_COMMAND` when set, else `tmux` from PATH. */
export function tmuxBinary(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AGENTMUX_TMUX_COMMAND;
  return configured !== undefined && configured !== '' ? configured : 'tmux';
}

/** The environment for tmux clients: ours minus TMUX* (so tmux never thinks it is nested). */
export function tmuxClientEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (!name.startsWith('TMUX')) copy[name] = value;
  return copy;
}

/** How a SpawnTmuxRunner reaches its server. */
export interface SpawnTmuxRunnerOptions {
  /** The server's socket path, always passed as `-S`. */
  socket: string;
  /** Passed as `-f`; tmux reads it only when this command starts the server. */
  configFile?: string;
  /** The tmux program; default tmuxBinary(). */
  binary?: string;
  /** Environment of the tmux client (and of a server it starts); default tmuxClientEnv(). */
  env?: NodeJS.ProcessEnv;
}

/** Spawns `tmux -S <socket> [-f <conf>] <args>` per command: slow (~2.5 ms) but needs no session. */
export class SpawnTmuxRunner implements TmuxRunner {
  readonly socket: string;
  private readonly binary: string;
  private readonly prefix: string[];
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: SpawnTmuxRunnerOptions) {
    this.socket = options.socket;
    this.binary = options.binary ?? tmuxBinary();
    this.prefix = [
      ...LOCALE_PROOF_FLAGS,
      '-S',
      options.socket,
      ...(options.configFile === undefined ? [] : ['-f', options.configFile]),
    ];
    this.env = options.env ?? tmuxClientEnv();
  }

  run(args: string[], options: TmuxRunOptions = {}): Promise<TmuxResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TMUX_TIMEOUT_MS;
    const argv = [...this.prefix, ...args.map(escapeArgvArgument)];
    const started = performance.now();
    return new Promise((resolve, reject) => {
      execFile(
        this.binary,
        argv,
        { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: this.env },
        (error, stdout, stderr) => {
          const durationMs = elapsedSince(started);
          if (error === null) {
            resolve({ stdout, stderr, code: 0, durationMs });
            return;
          }
          if (typeof error.code === 'number' && !error.killed) {
            resolve({ stdout, stderr, code: error.code, durationMs });
            return;
          }
          const failure = { args, durationMs, error, extra: { binary: this.binary } };
          const command = args[0] ?? '';
          // `killed`: execFile killed it, at the deadline or for too much output (a string code).
          if (error.killed === true && typeof error.code !== 'string') {
            reject(
              tmuxFailure(`tmux ${command} did not finish within ${timeoutMs} ms`, {
                ...failure,
                cause: { kind: 'timeout', timeout_ms: timeoutMs },
              }),
            );
          } else if (typeof error.signal === 'string') {
            reject(
              tmuxFailure(`tmux ${command} was killed by ${error.signal} after ${durationMs} ms`, {
                ...failure,
                cause: { kind: 'signal', signal: error.signal, stderr: stderrTail(stderr) },
              }),
            );
          } else {
            reject(
              tmuxFailure(`could not run ${this.binary} ${command}: ${error.message}`, {
                ...failure,
                cause: { kind: 'spawn', error: error.message },
              }),
            );
          }
        },
      );
    });
  }

  close(): void {
    // Nothing is held between commands.
  }
}

/**
 * Runs a command and returns its stdout, throwing `runtime_tmux_failed` (with the command, exit
 * code and stderr) when tmux reports an error.
 */
export async function runTmuxChecked(runner: TmuxRunner, args: string[], options?: TmuxRunOptions): Promise<string> {
  const result = await runner.run(args, options);
  if (result.code !== 0) throw tmuxCommandError(args, result);
  return result.stdout;
}
