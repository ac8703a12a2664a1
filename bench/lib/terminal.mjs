// A user's terminal for the benches: a built `agentmux` command on a node-pty pseudo-terminal
// rendered by @xterm/headless, with waits that resolve at the first parsed write after which
// the screen matches (no polling delay in the figures).
import { readFileSync } from 'node:fs';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { AGENTMUX_BIN } from './fixture.mjs';

/** Spawns `agentmux …args` on a `cols`×`rows` terminal with `env`. */
export function openTerminal(args, { cols = 120, rows = 40, env }) {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const child = pty.spawn(AGENTMUX_BIN, args, {
    name: 'xterm-256color',
    cols,
    rows,
    env: { ...env, TERM: 'xterm-256color' },
  });
  let waiter;
  child.onData((data) => term.write(data, () => waiter?.()));
  term.onData((reply) => child.write(reply));
  const exited = new Promise((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));
  const screen = () => {
    const buffer = term.buffer.active;
    const lines = [];
    for (let y = 0; y < rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  return {
    child,
    pid: child.pid,
    exited,
    screen,
    write: (data) => child.write(data),
    /** Resolves to performance.now() at the first parsed write after which `re` matches. */
    waitScreen(re, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`screen never matched ${re}:\n${screen()}`)), timeoutMs);
        waiter = () => {
          if (!re.test(screen())) return;
          clearTimeout(timer);
          waiter = undefined;
          resolve(performance.now());
        };
        waiter();
      });
    },
    async close() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      term.dispose();
    },
  };
}

/** RSS and peak RSS (VmHWM) of `pid` in MiB. */
export function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}
