// Hands this terminal to one agent's tmux session and takes it back on the detach key: a
// `tmux attach-session` client hosted in a pseudo-terminal (node-pty), with this process the
// only reader of stdin meanwhile. See docs: README "Open an agent and come back".
import type { IPty } from 'node-pty';
import { findDetachKey, parseDetachKey, unfinishedCsiAt, type DetachKey } from './detach-key.js';
import { loadNodePty, ptsName, spawnTmux } from './pty-host.js';
import { TERMINAL_RESET } from './terminal-modes.js';

/** How an attach ended. */
export type AttachOutcome = 'detached' | 'session_ended' | 'spawn_failed';

/** The outcome, and how it came about. */
export interface AttachResult {
  readonly outcome: AttachOutcome;
  /** For `detached`: what ended the client (the server binding, a fallback, a signal, tmux). */
  readonly via?: 'binding' | 'detach-client' | 'sighup' | 'signal' | 'tmux';
  /** For `spawn_failed`: why. */
  readonly error?: string;
}

/** The node-pty surface used here (tests inject a fake). */
export interface PtyHost {
  spawn(file: string, args: string[], options: PtySpawnOptions): IPty;
}

/** What the client is spawned with. */
export interface PtySpawnOptions {
  name: string;
  cols: number;
  rows: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  handleFlowControl: false;
}

/** Runs one tmux command on the bundle's server; resolves with its exit code. */
export type TmuxRun = (args: string[]) => Promise<number>;

export interface AttachOptions {
  /** The bundle's private tmux socket. */
  socketPath: string;
  /** The session id (targeted as `=<id>`, no prefix matching). */
  session: string;
  /** tui.toml `detach-key`, a tmux key name (default C-q). */
  detachKey: string;
  /** The tmux binary (default $AGENTMUX_TMUX_COMMAND or `tmux`). */
  tmuxCommand?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** The client's environment before TMUX and TMUX_PANE are removed (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Default: node-pty, loaded on first use. */
  pty?: PtyHost;
  /** Default: spawns tmux with `-S socketPath`. */
  tmux?: TmuxRun;
  /**
   * Leave the terminal raw on return (the dashboard takes raw mode back at once; a moment of
   * cooked mode would turn a quick Enter into a newline). Default: raw mode as it was.
   */
  stayRaw?: boolean;
  /** Called once with the first bytes of the client's output (benchmarks). */
  onFirstOutput?: () => void;
  /** Milliseconds: the key's byte after the bytes before it (15), detach-client (500), SIGHUP (1000). */
  timings?: { keyDelay?: number; detachClientAfter?: number; hangupAfter?: number };
}

const RESIZE_INTERVAL_MS = 16;
// How long an unfinished CSI sequence at the end of a read waits for the rest.
const CARRY_MS = 10;
const DETACHED_NOTICE = /\[detached \(from session [^\]\r\n]*\)\]\r?\n?/;
const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Attaches until the key is pressed, the session ends or the client dies; the terminal is
 * given back (raw mode as before, input modes reset) whatever happens, and the agent's session
 * is never touched: only the client process is signalled.
 */
export async function attachSession(options: AttachOptions): Promise<AttachResult> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const tmuxCommand = options.tmuxCommand ?? process.env.AGENTMUX_TMUX_COMMAND ?? 'tmux';
  const tmux = options.tmux ?? spawnTmux(tmuxCommand, options.socketPath);
  const key = parseDetachKey(options.detachKey);
  const env = { ...(options.env ?? process.env) };
  delete env.TMUX;
  delete env.TMUX_PANE;
  let pty: IPty;
  try {
    const host = options.pty ?? (await loadNodePty());
    pty = host.spawn(tmuxCommand, ['-S', options.socketPath, 'attach-session', '-t', `=${options.session}`], {
      name: env.TERM ?? 'xterm-256color',
      cols: stdout.columns || 80,
      rows: stdout.rows || 24,
      cwd: process.cwd(),
      env,
      handleFlowControl: false,
    });
  } catch (error) {
    return { outcome: 'spawn_failed', error: error instanceof Error ? error.message : String(error) };
  }
  return new Promise<AttachResult>((resolve) => {
    const session = new AttachedSession(pty, { ...options, stdin, stdout, tmux, key }, resolve);
    session.start();
  });
}

interface SessionOptions extends AttachOptions {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  tmux: TmuxRun;
  key: DetachKey | undefined;
}

// One attach, from spawn to the terminal given back.
class AttachedSession {
  private readonly wasRaw: boolean;
  private keySeen = false;
  private via: AttachResult['via'];
  private finished = false;
  private firstOutput = true;
  private readonly timers: NodeJS.Timeout[] = [];
  private carry: Buffer | string | undefined;
  private carryTimer: NodeJS.Timeout | undefined;
  private resizeTimer: NodeJS.Timeout | undefined;
  private lastResize = 0;
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly pty: IPty,
    private readonly options: SessionOptions,
    private readonly resolve: (result: AttachResult) => void,
  ) {
    this.wasRaw = options.stdin.isRaw === true;
  }

  start(): void {
    const { stdin, stdout } = this.options;
    const onInput = (chunk: Buffer | string): void => this.input(chunk);
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', onInput);
    stdin.resume();
    this.disposers.push(() => stdin.off('data', onInput));
    const data = this.pty.onData((text) => this.output(text));
    const exit = this.pty.onExit(() => void this.finish());
    this.disposers.push(
      () => data.dispose(),
      () => exit.dispose(),
    );
    const onResize = (): void => this.resize();
    stdout.on('resize', onResize);
    this.disposers.push(() => stdout.off('resize', onResize));
    for (const signal of SIGNALS) {
      const handler = (): void => this.onSignal(signal, handler);
      process.on(signal, handler);
      this.disposers.push(() => process.off(signal, handler));
    }
    // An uncaught error ends the process without the promise settling: give the terminal back.
    const onExit = (): void => this.restoreTerminal(false);
    process.once('exit', onExit);
    this.disposers.push(() => process.off('exit', onExit));
  }

  private input(received: Buffer | string): void {
    if (this.keySeen) return;
    const chunk = this.withCarry(received);
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const match = this.options.key ? findDetachKey(text, this.options.key) : undefined;
    if (!match) {
      // A key's CSI encoding may be split across reads: hold an unfinished one briefly.
      const partial = this.options.key ? unfinishedCsiAt(text) : undefined;
      if (partial === undefined) {
        this.pty.write(chunk);
        return;
      }
      if (partial > 0) this.pty.write(slice(chunk, 0, partial));
      this.carry = slice(chunk, partial);
      this.carryTimer = setTimeout(() => this.flushCarry(), CARRY_MS);
      return;
    }
    const before = slice(chunk, 0, match.index);
    if (before.length > 0) this.pty.write(before);
    this.keySeen = true;
    this.via = 'binding';
    const raw = this.options.key?.raw ?? '';
    const timings = this.options.timings ?? {};
    // tmux reads keys closer than assume-paste-time as a paste and skips bindings: write the
    // key's plain byte on its own so the server binding detaches after the earlier bytes.
    this.later(timings.keyDelay ?? 15, () => this.pty.write(raw));
    this.later(timings.detachClientAfter ?? 500, () => {
      this.via = 'detach-client';
      void this.options.tmux(['detach-client', '-t', ptsName(this.pty)]);
    });
    this.later(timings.hangupAfter ?? 1000, () => {
      this.via = 'sighup';
      this.pty.kill('SIGHUP');
    });
  }

  private withCarry(chunk: Buffer | string): Buffer | string {
    const carry = this.carry;
    if (carry === undefined) return chunk;
    this.carry = undefined;
    clearTimeout(this.carryTimer);
    if (typeof carry === 'string' && typeof chunk === 'string') return carry + chunk;
    return Buffer.concat([Buffer.from(carry), Buffer.from(chunk)]);
  }

  private flushCarry(): void {
    const carry = this.carry;
    this.carry = undefined;
    if (carry !== undefined && !this.keySeen && !this.finished) this.pty.write(carry);
  }

  private output(text: string): void {
    if (this.firstOutput) {
      this.firstOutput = false;
      this.options.onFirstOutput?.();
    }
    // tmux's farewell line would stay on the user's screen; the caller says where they are.
    if (this.keySeen) text = text.replace(DETACHED_NOTICE, '');
    if (!this.options.stdout.write(text)) {
      this.pty.pause();
      this.options.stdout.once('drain', () => this.pty.resume());
    }
  }

  private resize(): void {
    if (this.resizeTimer) return;
    const wait = Math.max(0, this.lastResize + RESIZE_INTERVAL_MS - Date.now());
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = undefined;
      this.lastResize = Date.now();
      const { columns, rows } = this.options.stdout;
      if (!this.finished && columns > 0 && rows > 0) this.pty.resize(columns, rows);
    }, wait);
  }

  private onSignal(signal: (typeof SIGNALS)[number], handler: () => void): void {
    this.keySeen = true;
    this.via = 'signal';
    // The client goes, the session stays: tmux clients detach on SIGHUP.
    this.pty.kill('SIGHUP');
    void this.finish();
    // Keep the signal's usual effect unless someone else (the dashboard) handles it.
    if (process.listenerCount(signal) === 0) {
      process.off(signal, handler);
      process.exitCode = 128 + SIGNAL_NUMBERS[signal];
      process.kill(process.pid, signal);
    }
  }

  private later(ms: number, run: () => void): void {
    this.timers.push(setTimeout(run, ms));
  }

  private restoreTerminal(raw: boolean): void {
    const { stdin, stdout } = this.options;
    if (stdin.isTTY) stdin.setRawMode(raw);
    stdout.write(TERMINAL_RESET);
  }

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const timer of this.timers) clearTimeout(timer);
    clearTimeout(this.carryTimer);
    if (this.resizeTimer) clearTimeout(this.resizeTimer);
    for (const dispose of this.disposers.splice(0)) dispose();
    this.options.stdin.pause();
    this.restoreTerminal(this.options.stayRaw === true || this.wasRaw);
    if (this.keySeen) {
      this.resolve({ outcome: 'detached', via: this.via });
      return;
    }
    // Without the key, tmux's own binding or prefix + d may still have detached us.
    const alive = (await this.options.tmux(['has-session', '-t', `=${this.options.session}`])) === 0;
    this.resolve(alive ? { outcome: 'detached', via: 'tmux' } : { outcome: 'session_ended' });
  }
}

function slice(chunk: Buffer | string, start: number, end?: number): Buffer | string {
  return typeof chunk === 'string' ? chunk.slice(start, end) : chunk.subarray(start, end);
}
