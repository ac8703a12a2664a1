// First-use bootstrap: `agentmux send` with no relay running, from spawn to a zero exit —
// the CLI takes the spawn lock, starts the relay (which opens a new journal), waits for
// its socket and gets the send answered. Each run uses fresh roots (a true first use);
// the relay is stopped between runs. Budget: < 500 ms.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { AGENTMUX_BIN, createFixture, disposeFixture, relayLogTail, relayPid } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';

const RUNS = Number(process.env.BOOTSTRAP_BENCH_RUNS ?? 5);

/** The relay's first `event` log line, parsed, or undefined when it is missing. */
function relayLogLine(fixture, event) {
  try {
    for (const line of readFileSync(fixture.log, 'utf8').split('\n')) {
      if (line.includes(`"${event}"`)) return JSON.parse(line);
    }
  } catch {
    // Reported as missing below.
  }
  return undefined;
}

/** Wall-clock ms of the relay's first `event` log line, or NaN when it is missing. */
function relayLoggedAt(fixture, event) {
  const line = relayLogLine(fixture, event);
  return line === undefined ? Number.NaN : Date.parse(line.time);
}

/**
 * One cold `agentmux send` on fresh roots; returns its wall time and, from the relay log,
 * when the relay process got going (`relay.startup`: node up, CLI loaded, lock held) and
 * when its journal was open (`relay.resumed`), both in ms after the CLI was spawned.
 */
async function coldSend(run) {
  const fixture = createFixture({ prefix: 'agentmux-bench-boot' });
  try {
    if (relayPid(fixture) !== undefined) throw new Error('fresh roots already have a relay');
    const spawnedAt = Date.now();
    const started = performance.now();
    const child = spawnSync(process.execPath, [AGENTMUX_BIN, 'send', '-t', 'bob', '-m', 'hi'], {
      env: fixture.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    const elapsed = performance.now() - started;
    if (child.status !== 0) {
      throw new Error(`send exited ${child.status ?? child.signal}: ${child.stderr.trim()}\n${relayLogTail(fixture)}`);
    }
    if (relayPid(fixture) === undefined) throw new Error('send succeeded but no relay recorded its pid');
    const startup = relayLoggedAt(fixture, 'relay.startup') - spawnedAt;
    const journalOpen = relayLoggedAt(fixture, 'relay.resumed') - spawnedAt;
    // How the relay's bundle was compiled: `accepted` when the build's V8 code cache was used.
    const codeCache = relayLogLine(fixture, 'relay.startup')?.code_cache ?? 'n/a';
    say(
      `run ${run + 1}: ${elapsed.toFixed(1)} ms (relay log: start-up at +${startup} ms, journal open at +${journalOpen} ms; code cache ${codeCache})`,
    );
    return { elapsed, startup, journalOpen, codeCache };
  } finally {
    await disposeFixture(fixture);
  }
}

try {
  say(`cold \`agentmux send -t bob -m hi\` with no relay, ${RUNS} runs on fresh roots`);
  const runs = [];
  for (let run = 0; run < RUNS; run += 1) runs.push(await coldSend(run));
  const samples = runs.map((r) => r.elapsed);
  const value = median(samples);
  const startup = median(runs.map((r) => r.startup));
  const journalOpen = median(runs.map((r) => r.journalOpen));
  say(
    `median ${value.toFixed(1)} ms (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}; budget < 500 ms)`,
  );
  printResult('bootstrap', {
    runs: RUNS,
    median_ms: round(value, 1),
    min_ms: round(Math.min(...samples), 1),
    max_ms: round(Math.max(...samples), 1),
    relay_startup_logged_ms: startup,
    relay_journal_open_logged_ms: journalOpen,
    relay_code_cache: runs[0]?.codeCache,
  });
} catch (error) {
  process.stderr.write(`bootstrap failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
