// A tmux control-mode client (`tmux -C attach-session`) used as a TmuxRunner: one long-lived
// process answers commands in ~0.1 ms instead of ~2.5 ms per spawned client, and can report
// `%output` for the panes of the session it is attached to.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { AgentmuxError } from '../../core/errors.js';
import { ControlModeParser, type ControlBlock } from './control-parser.js';
import { FallbackTmuxRunner } from './fallback-runner.js';
import { formatControlCommand } from './quote.js';
import {
  DEFAULT_TMUX_TIMEOUT_MS,
  LOCALE_PROOF_FLAGS,
  SpawnTmuxRunner,
  tmuxBinary,
  tmuxClientEnv,
  type TmuxResult,
  type TmuxRunOptions,
  type TmuxRunner,
} from './runner.js';
import { elapsedSince, stderrTail, tmuxClosedError, tmuxFailure, type TmuxFailureCause } from './tmux-errors.js';

/** How to start a control client. */
export interface TmuxControlClientOptions {
  socket: string;
  /** Session to attach to (matched exactly); tmux picks the most recent one when omitted. */
  session?: string;
  binary?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep `%output` notifications; default false sends `refresh-client -f no-output` at start. */
  output?: boolean;
  /** Pane output of the attached session (only with `output: true`), as raw bytes. */
  onOutput?: (paneId: string, data: Buffer) => void;
  /** Called once when the client ends: `%exit`, process exit, or close(). */
  onExit?: (reason: string) => void;
  /** Deadline for attaching; default DEFAULT_TMUX_TIMEOUT_MS. */
  startTimeoutMs?: number;
}

interface Waiter {
  args: string[];
  /** When the command was written (`performance.now()`), for the duration in errors. */
  started: number;
  settled: boolean;
  timer: NodeJS.Timeout;
  resolve(result: TmuxResult): void;
  reject(error: Error): void;
}

const COMMAND_NAME = /^[a-z][a-z-]*$/;

/** How the client ended: the reason, and how its tmux process exited when it did. */
interface Ended {
  reason: string;
  code: number | null;
  signal: string | null;
  stderr: string;
}

/**
 * A control-mode client; replies are matched to commands in order. Every command has a deadline,
 * and a missed deadline closes the client (a FallbackTmuxRunner then spawns tmux instead).
 */
export class TmuxControlClient implements TmuxRunner {
  /** Resolves when the tmux process has exited. */
  readonly exited: Promise<void>;
  private readonly waiters: Waiter[] = [];
  private readonly parser: ControlModeParser;
  private isClosed = false;
  private stderrTail = '';
  private attach: { resolve(): void; reject(error: Error): void } | null = null;
  /** When the attach was started, for the duration in start errors. */
  private readonly spawnedAt = performance.now();
  /** Set once the client ended; later commands fail with it. */
  private ended: Ended | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: TmuxControlClientOptions,
  ) {
    this.parser = new ControlModeParser({
      onBlock: (block) => this.onBlock(block),
      onOutput: (paneId, data) => this.options.onOutput?.(paneId, data),
      onExit: (reason) =>
        this.shutdown({ reason: `tmux detached the control client${reason === '' ? '' : `: ${reason}`}` }),
    });
    child.stdout.on('data', (chunk: Buffer) => this.parser.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2048);
    });
    // EPIPE after tmux exits is reported through 'exit'.
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.shutdown({ reason: `could not run tmux: ${error.message}` });
        resolve();
      });
      child.on('exit', (code, signal) => {
        const stderr = this.stderrTail.trim();
        this.shutdown({
          reason: `tmux control client exited (${signal ?? `code ${code}`})${stderr === '' ? '' : `: ${stderr}`}`,
          code,
          signal,
          stderr,
        });
        resolve();
      });
    });
  }

  /** Attaches a control client; rejects with `runtime_tmux_failed` when tmux refuses or times out. */
  static async start(options: TmuxControlClientOptions): Promise<TmuxControlClient> {
    const binary = options.binary ?? tmuxBinary();
    const target = options.session === undefined ? [] : ['-t', `=${options.session}`];
    const child = spawn(binary, [...LOCALE_PROOF_FLAGS, '-S', options.socket, '-C', 'attach-session', ...target], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? tmuxClientEnv(),
    });
    const client = new TmuxControlClient(child, options);
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_TMUX_TIMEOUT_MS;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(client.startError(`no answer within ${timeoutMs} ms`, { kind: 'timeout', timeout_ms: timeoutMs })),
          timeoutMs,
        );
        client.attach = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
      });
      if (options.output !== true) await client.checked(['refresh-client', '-f', 'no-output'], timeoutMs);
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** True once the client can no longer run commands. */
  get closed(): boolean {
    return this.isClosed;
  }

  run(args: string[], options: TmuxRunOptions = {}): Promise<TmuxResult> {
    if (this.isClosed) {
      const ended = this.ended ?? { reason: 'closed', code: null, signal: null, stderr: '' };
      return Promise.reject(
        tmuxClosedError(args, 0, { ...ended, reason: `the tmux control client is closed (${ended.reason})` }),
      );
    }
    if (args.length === 0 || !COMMAND_NAME.test(args[0] ?? '')) {
      const reason = `not a tmux command: ${JSON.stringify(args[0] ?? '')}`;
      return Promise.reject(tmuxFailure(reason, { args, durationMs: 0, cause: { kind: 'invalid', reason } }));
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TMUX_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        args,
        started: performance.now(),
        settled: false,
        resolve,
        reject,
        // Replies come strictly in order, so a command that is never answered would shift every
        // later reply onto the wrong command: give up on this client instead.
        timer: setTimeout(() => {
          waiter.settled = true;
          const reason = `tmux ${args[0]} did not answer within ${timeoutMs} ms`;
          reject(
            tmuxFailure(reason, {
              args,
              durationMs: elapsedSince(waiter.started),
              cause: { kind: 'timeout', timeout_ms: timeoutMs },
            }),
          );
          this.terminate(`${reason}; control client closed`);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
      this.child.stdin.write(`${formatControlCommand(args)}\n`);
    });
  }

  close(): void {
    this.terminate('closed');
  }

  private terminate(reason: string): void {
    if (this.isClosed) return;
    this.shutdown({ reason });
    // Ending stdin detaches the client; kill it only if it hangs.
    setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }, 1_000).unref();
  }

  private async checked(args: string[], timeoutMs: number): Promise<void> {
    const result = await this.run(args, { timeoutMs });
    if (result.code !== 0) {
      const stderr = stderrTail(result.stderr);
      throw this.startError(stderr, { kind: 'exit', code: result.code, stderr }, args);
    }
  }

  /** The error for an attach that failed, timed the attach from the spawn. */
  private startError(reason: string, cause: TmuxFailureCause, args?: readonly string[]): AgentmuxError {
    const session = this.options.session;
    return tmuxFailure(
      `tmux control mode could not attach${session === undefined ? '' : ` to ${session}`}: ${reason}`,
      {
        args: args ?? ['attach-session', ...(session === undefined ? [] : ['-t', `=${session}`])],
        durationMs: elapsedSince(this.spawnedAt),
        cause,
        extra: { socket: this.options.socket, session: session ?? null },
      },
    );
  }

  private onBlock(block: ControlBlock): void {
    if (!block.fromClient) {
      // The only block tmux sends on its own is the reply to our attach-session.
      const attach = this.attach;
      this.attach = null;
      if (attach === null) return;
      if (block.error) {
        const stderr = stderrTail(block.lines.join('\n'));
        attach.reject(this.startError(stderr, { kind: 'exit', code: 1, stderr }));
      } else attach.resolve();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter === undefined || waiter.settled) return;
    clearTimeout(waiter.timer);
    waiter.settled = true;
    const text = block.lines.map((line) => `${line}\n`).join('');
    const durationMs = elapsedSince(waiter.started);
    waiter.resolve(
      block.error
        ? { stdout: '', stderr: text, code: 1, durationMs }
        : { stdout: text, stderr: '', code: 0, durationMs },
    );
  }

  private shutdown(how: { reason: string } & Partial<Ended>): void {
    const first = !this.isClosed;
    this.isClosed = true;
    const ended: Ended = { code: null, signal: null, stderr: '', ...how };
    if (first) this.ended = ended;
    // A detach (`%exit`) comes before the process ends: keep its reason, add how the process exited.
    else if (this.ended !== undefined && how.code !== undefined)
      this.ended = { ...this.ended, code: ended.code, signal: ended.signal, stderr: ended.stderr };
    const cause: TmuxFailureCause = { kind: 'closed', ...ended, stderr: stderrTail(ended.stderr) };
    this.attach?.reject(this.startError(ended.reason, cause));
    this.attach = null;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      if (waiter.settled) continue;
      waiter.settled = true;
      waiter.reject(tmuxClosedError(waiter.args, elapsedSince(waiter.started), ended));
    }
    if (first) {
      this.child.stdin.end();
      this.options.onExit?.(ended.reason);
    }
  }
}

/**
 * A runner for `socket`: a control client attached to `session` when control mode works, else
 * (and from the moment the control client ends) a spawned tmux client per command.
 */
export async function createTmuxRunner(
  socket: string,
  session?: string,
  options: Omit<TmuxControlClientOptions, 'socket' | 'session'> = {},
): Promise<FallbackTmuxRunner> {
  const spawned = new SpawnTmuxRunner({ socket, binary: options.binary, env: options.env });
  try {
    const control = await TmuxControlClient.start({ ...options, socket, session });
    return new FallbackTmuxRunner(control, spawned);
  } catch {
    return new FallbackTmuxRunner(null, spawned);
  }
}
