// The relay under abuse, measured where the hardening tests only check behaviour:
// (1) 200 connections that never say hello (half with an unfinished frame) while a real
//     client sends 20 messages: each send's latency and the total;
// (2) a client that writes 16 MiB of bad frames and never reads its answers while a real
//     client sends 20 messages 100 ms apart: each send's latency, and the relay's RSS growth.
// Budgets (moved from test/integration/relay/hardening.test.ts): every send < 500 ms, the 20
// sends among idle connections < 1,000 ms in all, RSS growth under the flood < 150 MiB.
import { readFileSync } from 'node:fs';
import { connect as connectSocket } from 'node:net';
import { connect, createFixture, disposeFixture, relayLogTail, relayPid, sleep } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { round } from './lib/stats.mjs';

function rawSocket(path) {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

const fixture = createFixture({ prefix: 'agentmux-bench-floods' });
const sockets = [];
let alice;
try {
  alice = await connect(fixture, 'alice');
  const pid = relayPid(fixture);
  for (let i = 0; i < 50; i += 1) await alice.request('send', { to: ['bob'], body: `warm-up ${i}` });

  const idle = await Promise.all(Array.from({ length: 200 }, () => rawSocket(fixture.socket)));
  sockets.push(...idle);
  for (const socket of idle.slice(0, 100)) socket.write('{"jsonrpc":"2.0","id":1,"meth');
  const idleTimes = [];
  const idleStarted = performance.now();
  for (let i = 0; i < 20; i += 1) {
    const t0 = performance.now();
    await alice.request('send', { to: ['bob'], body: `idle ${i}` });
    idleTimes.push(performance.now() - t0);
  }
  const idleTotal = performance.now() - idleStarted;
  say(`200 idle connections: 20 sends in ${idleTotal.toFixed(1)} ms, slowest ${Math.max(...idleTimes).toFixed(1)} ms`);

  const rssBefore = rssMiB(pid);
  const flooder = await rawSocket(fixture.socket);
  sockets.push(flooder);
  flooder.pause();
  const chunk = Buffer.from('x\n'.repeat(512 * 1024));
  for (let i = 0; i < 16; i += 1) flooder.write(chunk);
  const floodTimes = [];
  let rssPeak = rssBefore;
  for (let i = 0; i < 20; i += 1) {
    const t0 = performance.now();
    await alice.request('send', { to: ['bob'], body: `during flood ${i}` });
    floodTimes.push(performance.now() - t0);
    rssPeak = Math.max(rssPeak, rssMiB(pid));
    await sleep(100);
  }
  const growth = rssPeak - rssBefore;
  say(
    `16 MiB flood, never read: slowest send ${Math.max(...floodTimes).toFixed(1)} ms; relay RSS ${rssBefore.toFixed(1)} → peak ${rssPeak.toFixed(1)} MiB (+${growth.toFixed(1)})`,
  );
  printResult('relay-floods', {
    idle_total_ms: round(idleTotal, 1),
    idle_max_ms: round(Math.max(...idleTimes), 1),
    flood_max_ms: round(Math.max(...floodTimes), 1),
    flood_rss_growth_mib: round(growth, 1),
  });
} catch (error) {
  process.stderr.write(`relay-floods failed: ${error?.stack ?? error}\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  alice?.close();
  for (const socket of sockets) socket.destroy();
  await disposeFixture(fixture);
}
