// The dashboard's start-up: spawn `agentmux tui` on a 120×40 terminal (node-pty rendered by
// @xterm/headless) with the relay already up and a bundle of 10 sessions, and time until the
// first full frame (every session listed and the composer's key hints drawn). Median of 5
// after 1 warm-up (the first run pays for the disk cache). Budget (issue 17): < 700 ms.
// The CPU time the dashboard process had used by then (utime + stime from /proc, 10 ms
// ticks) is printed too: on a loaded machine it moves far less than the wall time.
// Also times `node -e "await import('ink'); await import('react')"` for context: what
// loading the UI stack alone costs from node_modules.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { installRoot } from './lib/install.mjs';
import { printResult, say } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';
import { openTerminal } from './lib/terminal.mjs';

const RUNS = Number(process.env.TUI_FRAME_BENCH_RUNS ?? 5);
const WARMUP = 1;
const SESSIONS = Array.from({ length: 10 }, (_, i) => `agent${i + 1}`);
// The last session's row and the footer's key hints: the frame is complete.
const FULL_FRAME = new RegExp(`${SESSIONS.at(-1)}[\\s\\S]*Enter send|Enter send[\\s\\S]*${SESSIONS.at(-1)}`);

/** CPU time (user + system) `pid` has used, in ms. */
function cpuMs(pid) {
  // Fields after the command name (which may hold spaces) start at field 3; utime is 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One dashboard start: spawn → first full frame (wall ms) and the CPU ms used by then. */
async function firstFrame(fixture) {
  const started = performance.now();
  const terminal = openTerminal(['tui', '--bundle', fixture.bundle], { env: fixture.env });
  try {
    const wall = (await terminal.waitScreen(FULL_FRAME, 30_000)) - started;
    return { wall, cpu: cpuMs(terminal.pid) };
  } finally {
    await terminal.close();
  }
}

/** Wall time of loading ink and react in a bare node, in ms. */
function inkImportMs() {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "await import('ink'); await import('react');"],
    { cwd: installRoot(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`importing ink failed: ${run.stderr.trim()}`);
  return performance.now() - started;
}

const fixture = createFixture({ sessions: SESSIONS, prefix: 'agentmux-bench-tuiframe' });
try {
  const starter = await connect(fixture, 'agent1');
  await starter.request('send', { to: ['user'], body: 'hello from agent1' });
  starter.close();
  const frames = [];
  const cpus = [];
  const inks = [];
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    const frame = await firstFrame(fixture);
    const ink = inkImportMs();
    if (run < WARMUP) continue;
    frames.push(frame.wall);
    cpus.push(frame.cpu);
    inks.push(ink);
    say(
      `run ${run}: first full frame ${frame.wall.toFixed(0)} ms (CPU ${frame.cpu} ms); node + import ink, react ${ink.toFixed(0)} ms`,
    );
  }
  const frameMs = median(frames);
  say(`first full frame median ${frameMs.toFixed(0)} ms (min ${Math.min(...frames).toFixed(0)}; budget < 700 ms)`);
  printResult('tui-first-frame', {
    runs: RUNS,
    sessions: SESSIONS.length,
    first_frame_ms: round(frameMs, 0),
    first_frame_min_ms: round(Math.min(...frames), 0),
    first_frame_cpu_ms: round(median(cpus), 0),
    ink_import_ms: round(median(inks), 0),
  });
} catch (error) {
  process.stderr.write(`tui-first-frame failed: ${error?.stack ?? error}\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  await disposeFixture(fixture);
}
