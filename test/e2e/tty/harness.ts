// A user's terminal for end-to-end tests: a program runs in a pseudo-terminal (node-pty) and
// @xterm/headless renders what it prints, answering its queries (DA, DSR) as a terminal would.
import xterm from '@xterm/headless';
import * as pty from 'node-pty';

export interface TtyOptions {
  cols?: number;
  rows?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A running program on a test terminal. */
export interface Tty {
  readonly pid: number;
  /** The program's tty (e.g. /dev/pts/7). */
  readonly ptsName: string;
  /** Types text, as the user's keyboard would. */
  send(text: string): void;
  /** Resizes the terminal (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void;
  /** The visible screen, one string per row, trailing spaces trimmed. */
  screen(): string[];
  /** Which buffer is shown: `normal` or `alternate` (full-screen programs). */
  bufferType(): string;
  /** Everything the program wrote so far. */
  output(): string;
  /** Resolves when the screen matches `re`; rejects with the screen after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the program exited. */
  readonly exit: Promise<number>;
  exited(): boolean;
  /** Kills the program (SIGKILL unless told) and waits for it; safe to call twice. */
  kill(signal?: string): Promise<void>;
}

/** Starts `file args` on a fresh terminal (80x24 unless told). */
export function spawnTty(file: string, args: string[], options: TtyOptions = {}): Tty {
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
  const child = pty.spawn(file, args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd ?? process.cwd(),
    env: { TERM: 'xterm-256color', ...(options.env ?? process.env) },
  });
  let written = '';
  let pending = Promise.resolve();
  let done = false;
  child.onData((data) => {
    written += data;
    pending = new Promise((resolve) => term.write(data, resolve));
  });
  // The terminal's answers to queries go back to the program, as a real terminal's would.
  term.onData((reply) => {
    if (!done) child.write(reply);
  });
  const exit = new Promise<number>((resolve) => {
    child.onExit(({ exitCode }) => {
      done = true;
      // The pty's last output can arrive just after the exit, and xterm parses writes
      // asynchronously: settle both so the screen is final when `exit` resolves.
      setTimeout(() => void pending.then(() => resolve(exitCode)), 20);
    });
  });
  const screen = (): string[] => {
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return lines;
  };
  return {
    pid: child.pid,
    ptsName: String((child as unknown as { ptsName?: string }).ptsName ?? ''),
    send: (text) => child.write(text),
    resize: (c, r) => {
      term.resize(c, r);
      child.resize(c, r);
    },
    screen,
    bufferType: () => term.buffer.active.type,
    output: () => written,
    waitFor: async (re, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await pending;
        const text = screen().join('\n');
        if (re.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`screen never matched ${re}:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    exit,
    exited: () => done,
    kill: async (signal = 'SIGKILL') => {
      if (!done) child.kill(signal);
      await exit;
      term.dispose();
    },
  };
}
