// Cross-host messaging on loopback: two relays as two hosts (separate state roots), each with
// its own leaf nats-server, linked by a hub. Latency: laptop's `send` request → the message
// arriving at a client subscribed as alice on build (sequential, one in flight). Throughput:
// sends pipelined from laptop (64 in flight), until the last one arrives on build.
// Goals (issue 21): p50 < 5 ms, p99 < 25 ms. Needs nats-server on PATH.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsTopology, stopNatsServers } from './lib/nats.mjs';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';

const RUNS = Number(process.env.CROSS_HOST_BENCH_RUNS ?? 300);
const BURST = Number(process.env.CROSS_HOST_BENCH_BURST ?? 3000);
const IN_FLIGHT = 64;

const lib = await import('./lib/fixture.mjs');
const dir = mkdtempSync(join(tmpdir(), 'agentmux-bench-nats-'));
const fixtures = [];
try {
  const { leaves } = await startNatsTopology(dir, ['laptop', 'build']);
  const bundle = ['format-version = 1', ''];
  for (const [id, leaf] of Object.entries(leaves)) bundle.push('[[hosts]]', `id = "${id}"`, `nats = "${leaf.url}"`, '');
  bundle.push('[[sessions]]', 'id = "alice"', `directory = "${dir}"`, 'host = "build"', '');
  const side = (host) => {
    const fixture = lib.createFixture({ prefix: `agentmux-bench-${host}`, sessions: [] });
    writeFileSync(join(fixture.roots.configDir, 'bundles', `${fixture.bundle}.toml`), bundle.join('\n'));
    fixtures.push(fixture);
    return fixture;
  };
  const laptop = side('laptop');
  const build = side('build');
  // The client auto-starts each relay with this process's environment: AGENTMUX_HOST says which host it is.
  process.env.AGENTMUX_HOST = 'build';
  const alice = await lib.connect(build, 'alice');
  process.env.AGENTMUX_HOST = 'laptop';
  const user = await lib.connect(laptop, 'user', { role: 'operator' });

  const waiting = new Map();
  alice.on('message.received', ({ message }) => {
    alice.request('inbox.ack', { ids: [message.id] }).catch(() => undefined);
    const done = waiting.get(message.body);
    waiting.delete(message.body);
    done?.();
  });
  await alice.request('subscribe', { messages: true });
  const arrival = (body) => new Promise((resolve) => waiting.set(body, resolve));

  // Warm-up: the first message waits for the streams and their sources to be set up.
  const warm = performance.now();
  const first = arrival('warm-up');
  await user.request('send', { to: ['alice'], body: 'warm-up' });
  await first;
  say(`first cross-host message (stream set-up included): ${(performance.now() - warm).toFixed(0)} ms`);
  for (let i = 0; i < 20; i += 1) {
    const seen = arrival(`w${i}`);
    await user.request('send', { to: ['alice'], body: `w${i}` });
    await seen;
  }

  const samples = [];
  for (let i = 0; i < RUNS; i += 1) {
    const seen = arrival(`l${i}`);
    const started = performance.now();
    await user.request('send', { to: ['alice'], body: `l${i}` });
    await seen;
    samples.push(performance.now() - started);
  }
  const latency = latencySummary(samples);
  say(
    `send → arrived on the other host (${RUNS} sequential): p50 ${latency.p50.toFixed(2)} ms  p99 ${latency.p99.toFixed(2)} ms  max ${latency.max.toFixed(2)} ms`,
  );

  const all = [];
  for (let i = 0; i < BURST; i += 1) all.push(arrival(`t${i}`));
  const started = performance.now();
  let next = 0;
  const pump = async () => {
    while (next < BURST) {
      const i = next;
      next += 1;
      await user.request('send', { to: ['alice'], body: `t${i}` });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, pump));
  const accepted = performance.now() - started;
  await Promise.all(all);
  const elapsed = performance.now() - started;
  const perSecond = (BURST / elapsed) * 1000;
  say(
    `${BURST} pipelined sends: accepted in ${accepted.toFixed(0)} ms, all arrived in ${elapsed.toFixed(0)} ms → ${perSecond.toFixed(0)} msg/s`,
  );
  alice.close();
  user.close();
  printResult('cross-host', {
    p50_ms: round(latency.p50),
    p99_ms: round(latency.p99),
    max_ms: round(latency.max),
    msgs_per_s: Math.round(perSecond),
    runs: RUNS,
    burst: BURST,
  });
} catch (error) {
  process.stderr.write(`cross-host failed: ${error instanceof Error ? error.message : String(error)}\n`);
  for (const fixture of fixtures) process.stderr.write(lib.relayLogTail(fixture));
  process.exitCode = 1;
} finally {
  for (const fixture of fixtures) await lib.disposeFixture(fixture);
  stopNatsServers();
  rmSync(dir, { recursive: true, force: true });
}
