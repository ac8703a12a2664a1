// Relay round trip: one hello'd client sends small messages one at a time (alice → bob, bob
// has no subscriber so each send is journaled and queued) and times each answer.
// Budget (DESIGN.md "Performance budgets"): p50 < 0.3 ms, p99 < 2 ms.
import { connect, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { openRawClient } from './lib/raw-client.mjs';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';

const WARMUP = 1_000;
const SAMPLES = 10_000;

/** Times `SAMPLES` sequential calls of `call(i)` after `WARMUP` untimed ones. */
async function timeSequential(call) {
  for (let i = 0; i < WARMUP; i += 1) await call(i);
  const samples = new Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    await call(WARMUP + i);
    samples[i] = performance.now() - started;
  }
  return latencySummary(samples);
}

function show(label, s) {
  const ms = (v) => `${v.toFixed(3)} ms`;
  say(`${label.padEnd(28)} p50 ${ms(s.p50)}  p90 ${ms(s.p90)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
}

const fixture = createFixture({ prefix: 'agentmux-bench-rt' });
try {
  const client = await connect(fixture, 'alice');
  say(`relay pid ${client.hello.relay.pid}; ${WARMUP} warm-up + ${SAMPLES} timed requests each`);
  const sendParams = (tag) => (i) => ({ to: ['bob'], body: `ping ${i}`, request_id: `${tag}-${i}` });
  const params = sendParams('lib');
  const send = await timeSequential((i) => client.request('send', params(i)));
  show('send (client library)', send);
  const status = await timeSequential(() => client.request('status', {}));
  show('status (client library)', status);
  client.close();

  const raw = await openRawClient(fixture.socket, { bundle: fixture.bundle, session: 'alice', role: 'agent' });
  const rawParams = sendParams('raw');
  const rawSend = await timeSequential((i) => raw.request('send', rawParams(i)));
  show('send (bare socket, no zod)', rawSend);
  const rawStatus = await timeSequential(() => raw.request('status', {}));
  show('status (bare socket, no zod)', rawStatus);
  raw.close();

  const figures = {};
  for (const [prefix, s] of Object.entries({ send, status, raw_send: rawSend, raw_status: rawStatus })) {
    for (const [key, value] of Object.entries(s)) figures[`${prefix}_${key}_ms`] = round(value, 4);
  }
  printResult('relay-roundtrip', { samples: SAMPLES, warmup: WARMUP, ...figures });
} catch (error) {
  process.stderr.write(`relay-roundtrip failed: ${error?.stack ?? error}\nrelay log tail:\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  await disposeFixture(fixture);
}
