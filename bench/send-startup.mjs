// CLI start-up: wall time of `agentmux send -t bob -m hi` against a running relay, compared
// with `node -e 0` (the floor any Node CLI pays). Both run the same node binary, so the
// ratio is what agentmux itself adds. Budget: ≤ 2× (aim 1.5×).
// Two sends: from the operator's shell (the relay checks on Linux that a connection holding
// the operator key is not inside an agent's pane, which costs an `ss` run in the relay) and
// from an agent's pane (its own AGENTMUX_TOKEN, no check); the budget is for the pane's.
// Also timed: `agentmux --version` (parser only, no relay) and a bare import of
// dist/cli.js, which splits "loading the bundle" from "doing the send".
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AGENTMUX_BIN, DIST_DIR, connect, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';

const WARMUP = 3;
const RUNS = 20;
const CLI_BUNDLE = pathToFileURL(join(DIST_DIR, 'cli.js')).href;

/** Wall time in ms of running node with `args` to a zero exit. */
function timeOnce(label, args, env) {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (run.status !== 0) {
    throw new Error(`${label} exited ${run.status ?? run.signal}: ${run.stderr.trim() || run.stdout.trim()}`);
  }
  return elapsed;
}

/** The environment of alice's pane: her identity and the credential the relay derives for her. */
function paneEnv(fixture) {
  const key = readFileSync(join(dirname(fixture.socket), 'operator.key'), 'utf8').trim();
  const token = createHmac('sha256', key).update('agent\0alice').digest('hex');
  return { ...fixture.env, AGENTMUX_BUNDLE: fixture.bundle, AGENTMUX_SESSION: 'alice', AGENTMUX_TOKEN: token };
}

/**
 * Median wall time of each command. Rounds run every command once, in turn, so a change
 * in machine load during the bench hits all of them alike instead of skewing the ratio.
 */
function timeInterleaved(commands, env) {
  const samples = new Map(commands.map(({ label }) => [label, []]));
  for (let round = 0; round < WARMUP + RUNS; round += 1) {
    for (const { label, args, env: own } of commands) {
      const elapsed = timeOnce(label, args, own ?? env);
      if (round >= WARMUP) samples.get(label).push(elapsed);
    }
  }
  const medians = new Map();
  for (const [label, values] of samples) {
    const value = median(values);
    medians.set(label, value);
    say(
      `${label.padEnd(34)} median ${value.toFixed(1)} ms  (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`,
    );
  }
  return medians;
}

const fixture = createFixture({ prefix: 'agentmux-bench-cli' });
try {
  const starter = await connect(fixture, undefined);
  starter.close();
  say(`relay up; medians of ${RUNS} interleaved rounds after ${WARMUP} warm-up rounds, node ${process.version}`);
  const medians = timeInterleaved(
    [
      { label: 'node -e 0', args: ['-e', '0'] },
      {
        label: 'node: import dist/cli.js',
        args: ['--input-type=module', '-e', `await import(${JSON.stringify(CLI_BUNDLE)})`],
      },
      { label: 'agentmux --version', args: [AGENTMUX_BIN, '--version'] },
      { label: 'agentmux send -t bob -m hi', args: [AGENTMUX_BIN, 'send', '-t', 'bob', '-m', 'hi'] },
      {
        label: 'send from a pane (AGENTMUX_TOKEN)',
        args: [AGENTMUX_BIN, 'send', '-t', 'bob', '-m', 'hi'],
        env: paneEnv(fixture),
      },
    ],
    fixture.env,
  );
  const [nodeMs, importMs, versionMs, operatorSendMs, sendMs] = [...medians.values()];
  const ratio = sendMs / nodeMs;
  say(
    `pane send / node ratio ${ratio.toFixed(2)}× (budget ≤ 2×, aim 1.5×); operator shell send ${(operatorSendMs / nodeMs).toFixed(2)}×; --version ${(versionMs / nodeMs).toFixed(2)}×`,
  );
  printResult('send-startup', {
    runs: RUNS,
    node_ms: round(nodeMs, 1),
    cli_import_ms: round(importMs, 1),
    version_ms: round(versionMs, 1),
    send_ms: round(sendMs, 1),
    operator_send_ms: round(operatorSendMs, 1),
    ratio: round(ratio, 2),
    operator_ratio: round(operatorSendMs / nodeMs, 2),
    version_ratio: round(versionMs / nodeMs, 2),
  });
} catch (error) {
  process.stderr.write(`send-startup failed: ${error?.stack ?? error}\nrelay log tail:\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  await disposeFixture(fixture);
}
