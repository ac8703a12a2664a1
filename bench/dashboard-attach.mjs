// The dashboard's "open an agent and come back", as a user sees it: the built `agentmux tui`
// runs on a pseudo-terminal rendered by @xterm/headless (the user's terminal, 120×40); a
// shell agent lives on the bundle's private tmux server. Each round: Enter on the session →
// the pane's text on screen ("open"), then C-q → the dashboard's frame back ("return").
// Times run from the keystroke to the parsed screen showing the result (no polling delay).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { AGENTMUX_BIN, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';
import { benchTmuxEnv, loadTmuxTransport, trackTmuxSocket } from './lib/tmux.mjs';

const WARMUP = 3;
const ROUNDS = 20;
const COLS = 120;
const ROWS = 40;

const fixture = createFixture({ bundle: 'attach', sessions: [], prefix: 'agentmux-bench-attach' });
const { configDir, stateDir } = fixture.roots;
writeFileSync(
  join(configDir, 'coders.toml'),
  [
    'format-version = 1',
    '[[coders]]',
    'id = "shell"',
    '[coders.tmux]',
    'initial-command = "sh"',
    "prompt-regex = '\\$ $'",
    '',
  ].join('\n'),
);
writeFileSync(
  join(configDir, 'bundles', 'attach.toml'),
  ['format-version = 1', '[[sessions]]', 'id = "agent"', `directory = "${fixture.root}"`, 'coder = "shell"', ''].join(
    '\n',
  ),
);

let term;
let child;
let killTmux = () => undefined;
try {
  const tmux = await loadTmuxTransport();
  const bundleDir = join(stateDir, 'bundles', 'attach');
  const socket = join(bundleDir, 'tmux.sock');
  const env = benchTmuxEnv();
  mkdirSync(bundleDir, { recursive: true, mode: 0o700 });
  const server = new tmux.TmuxServer({
    socket,
    confPath: join(bundleDir, 'tmux.conf'),
    binary: 'tmux',
    env,
    detachKey: 'C-q',
  });
  killTmux = trackTmuxSocket(socket);
  await server.newSession({
    id: 'agent',
    cwd: fixture.root,
    command: 'sh',
    env: { PS1: '$ ' },
    width: COLS,
    height: ROWS - 1,
  });
  server.close();
  term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  const screen = () => {
    const buffer = term.buffer.active;
    const lines = [];
    for (let y = 0; y < ROWS; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  // Resolves at the first parsed write after which the screen matches `re`.
  let waiter;
  const waitScreen = (re, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`screen never matched ${re}:\n${screen()}`)), timeoutMs);
      waiter = () => {
        if (!re.test(screen())) return;
        clearTimeout(timer);
        waiter = undefined;
        resolve(performance.now());
      };
      waiter();
    });
  child = pty.spawn(AGENTMUX_BIN, ['tui', '--bundle', 'attach'], {
    name: 'xterm-256color',
    cols: COLS,
    rows: ROWS,
    env: { ...fixture.env, TERM: 'xterm-256color' },
  });
  child.onData((data) => term.write(data, () => waiter?.()));
  term.onData((reply) => child.write(reply));
  await waitScreen(/Sessions \(\d\)[\s\S]*agent/, 30_000);
  for (let i = 0; i < 4 && !/Enter open/.test(screen()); i++) {
    child.write('\t');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await waitScreen(/Enter open/);
  const opens = [];
  const returns = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const marker = `round-${i}-done`;
    let sent = performance.now();
    child.write('\r');
    // The pane's last line (the previous round's output, or the first prompt) is on screen.
    const opened = await waitScreen(i > 0 ? new RegExp(`^round-${i - 1}-done`, 'm') : /^[$#] /m);
    const openMs = opened - sent;
    // Type into the pane, so every round's screen differs; then come back.
    child.write(`echo round-${i}-done\r`);
    await waitScreen(new RegExp(`^${marker}`, 'm'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    sent = performance.now();
    child.write('\u0011');
    const back = await waitScreen(/back from agent[\s\S]*Enter open/);
    if (i >= WARMUP) {
      opens.push(openMs);
      returns.push(back - sent);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const open = latencySummary(opens);
  const ret = latencySummary(returns);
  say(
    `Enter → pane on screen   p50 ${open.p50.toFixed(1)} ms  p90 ${open.p90.toFixed(1)} ms  max ${open.max.toFixed(1)} ms`,
  );
  say(
    `C-q → dashboard redrawn  p50 ${ret.p50.toFixed(1)} ms  p90 ${ret.p90.toFixed(1)} ms  max ${ret.max.toFixed(1)} ms`,
  );
  printResult('dashboard-attach', {
    rounds: ROUNDS,
    open_p50_ms: round(open.p50, 1),
    open_p90_ms: round(open.p90, 1),
    open_max_ms: round(open.max, 1),
    return_p50_ms: round(ret.p50, 1),
    return_p90_ms: round(ret.p90, 1),
    return_max_ms: round(ret.max, 1),
  });
} catch (error) {
  process.stderr.write(`dashboard-attach failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.stderr.write(`${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  if (child) {
    const exited = new Promise((resolve) => child.onExit(resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  }
  term?.dispose();
  // Before the fixture's directory (and the socket in it) is removed.
  killTmux();
  await disposeFixture(fixture);
}
