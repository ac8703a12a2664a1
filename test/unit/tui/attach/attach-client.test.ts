// The attach client against a fake pseudo-terminal: input routing around the detach key, the
// fallbacks, backpressure, resize and what the terminal is left in.
import { EventEmitter } from 'node:events';
import type { IPty } from 'node-pty';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachSession, type AttachOptions, type PtySpawnOptions } from '../../../../src/tui/attach/attach-client.js';
import { TERMINAL_RESET } from '../../../../src/tui/attach/terminal-modes.js';

class FakePty {
  readonly writes: string[] = [];
  readonly kills: string[] = [];
  readonly resizes: [number, number][] = [];
  paused = false;
  readonly ptsName = '/dev/pts/99';
  private readonly events = new EventEmitter();
  spawned?: { file: string; args: string[]; options: PtySpawnOptions };
  onData = (listener: (data: string) => void): { dispose(): void } => this.listen('data', listener);
  onExit = (listener: (e: { exitCode: number }) => void): { dispose(): void } => this.listen('exit', listener);
  write(data: string | Buffer): void {
    this.writes.push(data.toString());
  }
  kill(signal = 'SIGHUP'): void {
    this.kills.push(signal);
  }
  resize(cols: number, rows: number): void {
    this.resizes.push([cols, rows]);
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  emit(event: 'data' | 'exit', value: unknown): void {
    this.events.emit(event, value);
  }
  private listen<T>(event: string, listener: (value: T) => void): { dispose(): void } {
    this.events.on(event, listener);
    return { dispose: () => this.events.off(event, listener) };
  }
}

function fakeTerminal(): {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  out: string[];
  raw: boolean[];
  full: { value: boolean };
} {
  const out: string[] = [];
  const raw: boolean[] = [];
  const full = { value: false };
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    isRaw: false,
    setRawMode(mode: boolean) {
      raw.push(mode);
      stdin.isRaw = mode;
      return stdin;
    },
    resume: () => stdin,
    pause: () => stdin,
  });
  const stdout = Object.assign(new EventEmitter(), {
    columns: 100,
    rows: 30,
    write(chunk: string): boolean {
      out.push(chunk);
      return !full.value;
    },
  });
  return {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    out,
    raw,
    full,
  };
}

function setup(extra: Partial<AttachOptions> = {}, hasSession = 0) {
  const pty = new FakePty();
  const terminal = fakeTerminal();
  const tmuxCalls: string[][] = [];
  const options: AttachOptions = {
    socketPath: '/s/tmux.sock',
    session: 'alice',
    detachKey: 'C-q',
    tmuxCommand: 'tmux',
    stdin: terminal.stdin,
    stdout: terminal.stdout,
    env: { TERM: 'screen', TMUX: '/x,1,0', TMUX_PANE: '%1', KEEP: 'yes' },
    pty: {
      spawn: (file, args, spawnOptions) => {
        pty.spawned = { file, args, options: spawnOptions };
        return pty as unknown as IPty;
      },
    },
    tmux: (args) => {
      tmuxCalls.push(args);
      return Promise.resolve(hasSession);
    },
    ...extra,
  };
  const result = attachSession(options);
  return { pty, terminal, tmuxCalls, result };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('attachSession', () => {
  it('spawns tmux attach at the terminal size without TMUX, in raw mode, with flow control off', async () => {
    const { pty, terminal } = setup();
    await tick();
    expect(pty.spawned?.args).toEqual(['-S', '/s/tmux.sock', 'attach-session', '-t', '=alice']);
    expect(pty.spawned?.options).toMatchObject({ cols: 100, rows: 30, name: 'screen', handleFlowControl: false });
    expect(pty.spawned?.options.env).not.toHaveProperty('TMUX');
    expect(pty.spawned?.options.env).not.toHaveProperty('TMUX_PANE');
    expect(pty.spawned?.options.env.KEEP).toBe('yes');
    expect(terminal.raw).toEqual([true]);
  });

  it('forwards the bytes before the key, then the key alone 15 ms later, and nothing after', async () => {
    vi.useFakeTimers();
    const { pty, terminal, result, tmuxCalls } = setup();
    await vi.advanceTimersByTimeAsync(0);
    terminal.stdin.emit('data', Buffer.from('ls\r'));
    terminal.stdin.emit('data', Buffer.from('echo before\u001b[113;5uecho after'));
    terminal.stdin.emit('data', Buffer.from('more'));
    expect(pty.writes).toEqual(['ls\r', 'echo before']);
    await vi.advanceTimersByTimeAsync(14);
    expect(pty.writes).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(pty.writes).toEqual(['ls\r', 'echo before', '\u0011']);
    pty.emit('exit', { exitCode: 0 });
    expect(await result).toEqual({ outcome: 'detached', via: 'binding' });
    expect(tmuxCalls).toEqual([]);
    expect(terminal.raw).toEqual([true, false]);
    expect(terminal.out.at(-1)).toBe(TERMINAL_RESET);
  });

  it('finds a key encoding split across reads, and passes an unfinished sequence on after 10 ms', async () => {
    vi.useFakeTimers();
    const { pty, terminal, result } = setup();
    await vi.advanceTimersByTimeAsync(0);
    terminal.stdin.emit('data', Buffer.from('ab\u001b[11'));
    expect(pty.writes).toEqual(['ab']);
    terminal.stdin.emit('data', Buffer.from('3;5u'));
    await vi.advanceTimersByTimeAsync(15);
    expect(pty.writes).toEqual(['ab', '\u0011']);
    pty.emit('exit', { exitCode: 0 });
    expect(await result).toMatchObject({ outcome: 'detached' });

    const other = setup();
    await vi.advanceTimersByTimeAsync(0);
    other.terminal.stdin.emit('data', '\u001b[1;');
    expect(other.pty.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(other.pty.writes).toEqual(['\u001b[1;']);
    other.terminal.stdin.emit('data', '5A');
    expect(other.pty.writes).toEqual(['\u001b[1;', '5A']);
  });

  it('falls back to detach-client, then SIGHUP, when the binding does not detach', async () => {
    vi.useFakeTimers();
    const { pty, terminal, result, tmuxCalls } = setup();
    await vi.advanceTimersByTimeAsync(0);
    terminal.stdin.emit('data', '\u0011');
    await vi.advanceTimersByTimeAsync(500);
    expect(tmuxCalls).toEqual([['detach-client', '-t', '/dev/pts/99']]);
    expect(pty.kills).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(pty.kills).toEqual(['SIGHUP']);
    pty.emit('exit', { exitCode: 1 });
    expect(await result).toEqual({ outcome: 'detached', via: 'sighup' });
  });

  it('tells session_ended from a detach by tmux itself when the client exits without the key', async () => {
    const ended = setup({}, 1);
    await tick();
    ended.pty.emit('exit', { exitCode: 0 });
    expect(await ended.result).toEqual({ outcome: 'session_ended' });
    const detached = setup({}, 0);
    await tick();
    detached.pty.emit('exit', { exitCode: 0 });
    expect(await detached.result).toEqual({ outcome: 'detached', via: 'tmux' });
    expect(detached.tmuxCalls).toEqual([['has-session', '-t', '=alice']]);
  });

  it('reports spawn_failed and leaves the terminal alone when the client cannot start', async () => {
    const terminal = fakeTerminal();
    const result = await attachSession({
      socketPath: '/s',
      session: 'a',
      detachKey: 'C-q',
      stdin: terminal.stdin,
      stdout: terminal.stdout,
      pty: {
        spawn: () => {
          throw new Error('no such file');
        },
      },
    });
    expect(result).toEqual({ outcome: 'spawn_failed', error: 'no such file' });
    expect(terminal.raw).toEqual([]);
  });

  it('pauses the client while stdout is full, and resumes on drain', async () => {
    const { pty, terminal } = setup();
    await tick();
    terminal.full.value = true;
    pty.emit('data', 'x'.repeat(1000));
    expect(pty.paused).toBe(true);
    terminal.full.value = false;
    terminal.stdout.emit('drain');
    expect(pty.paused).toBe(false);
  });

  it('forwards resizes, at most one per 16 ms', async () => {
    vi.useFakeTimers();
    const { pty, terminal } = setup();
    await vi.advanceTimersByTimeAsync(0);
    Object.assign(terminal.stdout, { columns: 120, rows: 30 });
    terminal.stdout.emit('resize');
    terminal.stdout.emit('resize');
    await vi.advanceTimersByTimeAsync(1);
    expect(pty.resizes).toEqual([[120, 30]]);
    Object.assign(terminal.stdout, { columns: 90, rows: 20 });
    terminal.stdout.emit('resize');
    await vi.advanceTimersByTimeAsync(5);
    expect(pty.resizes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(pty.resizes).toEqual([
      [120, 30],
      [90, 20],
    ]);
  });

  it('stays raw on return when asked (the dashboard)', async () => {
    const { pty, terminal, result } = setup({ stayRaw: true });
    await tick();
    terminal.stdin.emit('data', '\u0011');
    pty.emit('exit', { exitCode: 0 });
    await result;
    expect(terminal.raw).toEqual([true, true]);
  });

  it('on SIGTERM kills only the client and gives the terminal back', async () => {
    const { pty, terminal, result } = setup();
    await tick();
    const other = (): void => undefined;
    process.on('SIGTERM', other); // someone else (the dashboard) handles the signal itself
    try {
      process.emit('SIGTERM');
      expect(await result).toEqual({ outcome: 'detached', via: 'signal' });
      expect(pty.kills).toEqual(['SIGHUP']);
      expect(terminal.raw).toEqual([true, false]);
      expect(process.listenerCount('SIGTERM')).toBe(1);
    } finally {
      process.off('SIGTERM', other);
    }
  });
});
