// Cross-host messaging on loopback: two relays as two hosts (separate state roots), each with
// its own leaf nats-server, linked by a hub. Latency: laptop's `send` request → the message
// arriving at a client subscribed as alice on build (sequential, one in flight). Throughput:
// sends pipelined from laptop (64 in flight), until the last one arrives on build.
// Goals (issue 21): p50 < 5 ms, p99 < 25 ms. Needs nats-server on PATH.
// For scale on a loaded machine it also times, in the same conditions, NATS alone on the same
// path (publish → OUT → hub → IN → consumer, no relays), the same-host path on the sending
// relay (user → bob, both on laptop), and (Linux) the CPU each process spends per cross-host
// message: a cross-host message costs two relays' work plus three nats-servers'.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsTopology, stopNatsServers, timeNatsPath } from './lib/nats.mjs';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';

const RUNS = Number(process.env.CROSS_HOST_BENCH_RUNS ?? 300);
const BURST = Number(process.env.CROSS_HOST_BENCH_BURST ?? 3000);
const IN_FLIGHT = 64;

/** CPU time (user + system) of a process in ms, or undefined without /proc. */
function cpuMs(pid) {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return undefined;
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
  const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const lib = await import('./lib/fixture.mjs');
const dir = mkdtempSync(join(tmpdir(), 'agentmux-bench-nats-'));
const fixtures = [];
try {
  const { hub, leaves } = await startNatsTopology(dir, ['laptop', 'build']);
  const bundle = ['format-version = 1', ''];
  for (const [id, leaf] of Object.entries(leaves)) bundle.push('[[hosts]]', `id = "${id}"`, `nats = "${leaf.url}"`, '');
  bundle.push('[[sessions]]', 'id = "alice"', `directory = "${dir}"`, 'host = "build"', '');
  bundle.push('[[sessions]]', 'id = "bob"', `directory = "${dir}"`, 'host = "laptop"', '');
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
  const bob = await lib.connect(laptop, 'bob');

  const waiting = new Map();
  for (const receiver of [alice, bob]) {
    receiver.on('message.received', ({ message }) => {
      receiver.request('inbox.ack', { ids: [message.id] }).catch(() => undefined);
      const done = waiting.get(message.body);
      waiting.delete(message.body);
      done?.();
    });
    await receiver.request('subscribe', { messages: true });
  }
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

  /** Sequential send → arrival times to `target`. */
  const sequential = async (target, prefix) => {
    const samples = [];
    for (let i = 0; i < RUNS; i += 1) {
      const seen = arrival(`${prefix}${i}`);
      const started = performance.now();
      await user.request('send', { to: [target], body: `${prefix}${i}` });
      await seen;
      samples.push(performance.now() - started);
    }
    return latencySummary(samples);
  };
  const nats = latencySummary(await timeNatsPath(hub, leaves, 'laptop', 'build', RUNS));
  say(`NATS alone on that path (${RUNS} sequential): p50 ${nats.p50.toFixed(2)} ms  p99 ${nats.p99.toFixed(2)} ms`);
  const local = await sequential('bob', 's');
  say(
    `same host for scale (user → bob on laptop, ${RUNS} sequential): p50 ${local.p50.toFixed(2)} ms  p99 ${local.p99.toFixed(2)} ms`,
  );
  const processes = {
    'laptop relay': lib.relayPid(laptop),
    'build relay': lib.relayPid(build),
    'laptop leaf': leaves.laptop.child.pid,
    hub: hub.child.pid,
    'build leaf': leaves.build.child.pid,
  };
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMs(pid)]));
  const latency = await sequential('alice', 'l');
  say(
    `send → arrived on the other host (${RUNS} sequential): p50 ${latency.p50.toFixed(2)} ms  p99 ${latency.p99.toFixed(2)} ms  max ${latency.max.toFixed(2)} ms`,
  );
  // Delivery reports of the last messages may still be on their way: let them finish.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cpuPerMessage = Object.entries(processes)
    .map(([name, pid]) => [name, cpuMs(pid), cpuBefore[name]])
    .filter(([, after, before]) => after !== undefined && before !== undefined)
    .map(([name, after, before]) => `${name} ${((after - before) / RUNS).toFixed(2)}`);
  if (cpuPerMessage.length > 0) say(`CPU ms per cross-host message: ${cpuPerMessage.join(' · ')}`);

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
  say(
    `load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  alice.close();
  bob.close();
  user.close();
  printResult('cross-host', {
    p50_ms: round(latency.p50),
    p99_ms: round(latency.p99),
    max_ms: round(latency.max),
    nats_p50_ms: round(nats.p50),
    nats_p99_ms: round(nats.p99),
    same_host_p50_ms: round(local.p50),
    same_host_p99_ms: round(local.p99),
    msgs_per_s: Math.round(perSecond),
    // Every hop wakes a process on a shared machine: the figures move with its load.
    load_avg: round(loadavg()[0]),
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
