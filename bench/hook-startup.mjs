// Hook start-up: wall time of `agentmux hook --client claude Stop <payload>` reporting to a
// running relay, against `node -e 0`. Claude Code and Gemini run the hook before every model
// call, so it sits on the critical path of every turn. Target (issue 17): ≤ node -e 0 + 20 ms.
import { spawnSync } from 'node:child_process';
import { AGENTMUX_BIN, connect, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';

const WARMUP = 3;
const RUNS = 20;
let unreported = 0;

/** Wall time in ms of running node with `args` to a zero exit. */
function timeOnce(label, args, env) {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${label} exited ${run.status ?? run.signal}: ${run.stderr.trim()}`);
  // A hook past its 1 s deadline exits quietly (as it must); counted, not fatal.
  if (label.startsWith('agentmux hook') && !run.stderr.includes('reported')) unreported += 1;
  return elapsed;
}

const fixture = createFixture({ prefix: 'agentmux-bench-hook', sessions: ['alice'] });
try {
  const starter = await connect(fixture, undefined);
  starter.close();
  const env = { ...fixture.env, AGENTMUX_SESSION: 'alice', AGENTMUX_BUNDLE: fixture.bundle, AGENTMUX_HOOK_DEBUG: '1' };
  const commands = [
    { label: 'node -e 0', args: ['-e', '0'] },
    {
      label: 'agentmux hook (Stop)',
      args: [AGENTMUX_BIN, 'hook', '--client', 'claude', 'Stop', JSON.stringify({ session_id: 'bench' })],
    },
  ];
  const samples = new Map(commands.map(({ label }) => [label, []]));
  // Interleaved, so a change in machine load hits both alike.
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    for (const { label, args } of commands) {
      const elapsed = timeOnce(label, args, env);
      if (run >= WARMUP) samples.get(label).push(elapsed);
    }
  }
  const [nodeMs, hookMs] = [...samples.values()].map((values) => median(values));
  for (const [label, values] of samples) {
    say(`${label.padEnd(24)} median ${median(values).toFixed(1)} ms  (min ${Math.min(...values).toFixed(1)})`);
  }
  say(`hook - node = ${(hookMs - nodeMs).toFixed(1)} ms (target ≤ 20 ms); ratio ${(hookMs / nodeMs).toFixed(2)}×`);
  if (unreported > 0) say(`${unreported} of ${WARMUP + RUNS} hook runs gave up before the relay answered`);
  printResult('hook-startup', {
    runs: RUNS,
    node_ms: round(nodeMs, 1),
    hook_ms: round(hookMs, 1),
    hook_over_node_ms: round(hookMs - nodeMs, 1),
    ratio: round(hookMs / nodeMs, 2),
    unreported,
  });
} catch (error) {
  process.stderr.write(`hook-startup failed: ${error?.stack ?? error}\nrelay log tail:\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  await disposeFixture(fixture);
}
