// `agentmux attach` on a 100×30 terminal: spawn → the pane on screen (Node start-up
// included), the detach key → exit, and the client's peak RSS plus the detach time while the
// pane floods 50 MB. Budgets (moved from test/e2e/tty/attach.test.ts): open < 3,000 ms,
// detach < 500 ms, detach under the flood < 500 ms, peak RSS under the flood < 200 MiB.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFixture, disposeFixture, relayLogTail, sleep } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';
import { memoryMiB, openTerminal } from './lib/terminal.mjs';
import { benchTmuxEnv, loadTmuxTransport, trackTmuxSocket } from './lib/tmux.mjs';

const ROUNDS = 5;
const fixture = createFixture({ bundle: 'attach', sessions: [], prefix: 'agentmux-bench-attachflood' });
writeFileSync(
  join(fixture.roots.configDir, 'coders.toml'),
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
  join(fixture.roots.configDir, 'bundles', 'attach.toml'),
  ['format-version = 1', '[[sessions]]', 'id = "s1"', `directory = "${fixture.root}"`, 'coder = "shell"', ''].join(
    '\n',
  ),
);

let killTmux = () => undefined;
try {
  const tmux = await loadTmuxTransport();
  const bundleDir = join(fixture.roots.stateDir, 'bundles', 'attach');
  const socket = join(bundleDir, 'tmux.sock');
  mkdirSync(bundleDir, { recursive: true, mode: 0o700 });
  const server = new tmux.TmuxServer({
    socket,
    confPath: join(bundleDir, 'tmux.conf'),
    binary: 'tmux',
    env: benchTmuxEnv(),
    detachKey: 'C-q',
  });
  killTmux = trackTmuxSocket(socket);
  await server.newSession({ id: 's1', cwd: fixture.root, command: 'sh', env: { PS1: '$ ' }, width: 100, height: 30 });
  const opens = [];
  const detaches = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = performance.now();
    const terminal = openTerminal(['attach', 's1', '--bundle', 'attach'], { cols: 100, rows: 30, env: fixture.env });
    try {
      terminal.write(`echo open-${i}\r`);
      opens.push((await terminal.waitScreen(new RegExp(`^open-${i}`, 'm'), 30_000)) - started);
      await sleep(100);
      const detachAt = performance.now();
      terminal.write('\u0011');
      await terminal.exited;
      detaches.push(performance.now() - detachAt);
    } finally {
      await terminal.close();
    }
  }
  say(
    `attach: open median ${median(opens).toFixed(0)} ms, detach median ${median(detaches).toFixed(1)} ms (${ROUNDS} rounds)`,
  );

  const terminal = openTerminal(['attach', 's1', '--bundle', 'attach'], { cols: 100, rows: 30, env: fixture.env });
  let peak = 0;
  let floodDetach;
  try {
    terminal.write('echo ready-$((1+1))\r');
    await terminal.waitScreen(/^ready-2/m, 30_000);
    terminal.write('head -c 50000000 /dev/zero | tr "\\0" x; echo; echo flood-$((6*7))-done\r');
    await terminal.waitScreen(/x{20}/, 10_000);
    for (const end = Date.now() + 1000; Date.now() < end;) {
      peak = Math.max(peak, memoryMiB(terminal.pid).rss);
      await sleep(20);
    }
    const detachAt = performance.now();
    terminal.write('\u0011');
    await terminal.exited;
    floodDetach = performance.now() - detachAt;
  } finally {
    await terminal.close();
  }
  say(`50 MB flood: peak RSS of the attach client ${peak.toFixed(1)} MiB, detach ${floodDetach.toFixed(1)} ms`);
  printResult('attach-flood', {
    open_p50_ms: round(median(opens), 0),
    detach_p50_ms: round(median(detaches), 1),
    flood_detach_ms: round(floodDetach, 1),
    flood_peak_rss_mib: round(peak, 1),
  });
} catch (error) {
  process.stderr.write(`attach-flood failed: ${error?.stack ?? error}\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  killTmux();
  await disposeFixture(fixture);
}
