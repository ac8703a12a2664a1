// Scenario 2: frame fuzzing against a live relay — random bytes, truncated and oversized
// lines, deep nesting, wrong types, unknown methods, requests before hello and a flood of
// half-open connections — while a well-behaved client keeps sending. Invariants: the same
// relay process stays up, every bad frame gets a structured error (never a crash or an
// internal failure in the log), and the good client's latency stays bounded.
import { randomBytes } from 'node:crypto';
import { codeOf, helloParams, openRaw, operatorKey } from '../lib/raw.mjs';
import { startReceiver } from '../lib/receiver.mjs';
import { ms } from '../lib/table.mjs';
import { connect, createFixture, disposeFixture, relayLogErrors, relayPid, sleep, waitFor } from '../lib/fixture.mjs';

/** Bad frames per fuzzing connection, fuzzing connections, half-open connections. */
export const FUZZ_SIZES = {
  ci: { frames: 300, fuzzers: 4, halfOpen: 200, oversized: 4 },
  full: { frames: 3000, fuzzers: 8, halfOpen: 1000, oversized: 16 },
};
/** The good client's bound while the relay is being fuzzed (2-core machine, shared). */
const LATENCY_BOUND_MS = 1000;

const METHODS = [
  'hello',
  'send',
  'inbox.fetch',
  'inbox.ack',
  'history.search',
  'thread.get',
  'list',
  'look',
  'raww',
  'up',
  'down',
  'subscribe',
  'status',
];
const WEIRD = [
  null,
  true,
  -1,
  1e308,
  '',
  'x'.repeat(5000),
  [],
  {},
  [[[]]],
  { __proto__: { a: 1 } },
  '\u0000',
  '\ud800',
];
const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** One bad line (without the newline) of a random kind. */
function badFrame(bundle, n) {
  const good = JSON.stringify({ jsonrpc: '2.0', id: n, method: 'send', params: { to: ['bob'], body: `fuzz ${n}` } });
  switch (n % 8) {
    case 0:
      return randomBytes(1 + Math.floor(Math.random() * 2048))
        .toString('latin1')
        .replaceAll('\n', ' ');
    case 1:
      return good.slice(0, Math.floor(Math.random() * good.length));
    case 2: {
      const depth = 1000 + Math.floor(Math.random() * 50_000);
      return `{"jsonrpc":"2.0","id":${n},"method":"${pick(METHODS)}","params":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    }
    case 3:
      return JSON.stringify({
        jsonrpc: '2.0',
        id: n,
        method: pick(METHODS),
        params: { to: pick(WEIRD), body: pick(WEIRD), target: pick(WEIRD), ids: pick(WEIRD), limit: pick(WEIRD) },
      });
    case 4:
      return JSON.stringify({ jsonrpc: '2.0', id: n, method: `no.such.${n}`, params: {} });
    case 5:
      return JSON.stringify({
        jsonrpc: pick(['1.0', 2, null]),
        id: pick(WEIRD),
        method: pick([...METHODS, 5, null]),
        params: pick(WEIRD),
      });
    case 6:
      return JSON.stringify({
        jsonrpc: '2.0',
        id: n,
        method: 'hello',
        params: {
          ...helloParams(bundle, pick(['alice', 'mallory', '', 'x'.repeat(100)]), pick(['agent', 'operator', 'root'])),
          protocol: pick([1, 2, '1']),
        },
      });
    default:
      return JSON.stringify({ jsonrpc: '2.0', id: n, method: pick(METHODS), params: pick(WEIRD) });
  }
}

export async function runFuzz(size) {
  const { frames, fuzzers, halfOpen, oversized } = FUZZ_SIZES[size];
  const fixture = createFixture({ name: 'fuzz', sockets: ['alice', 'bob', 'carol'] });
  const failures = [];
  const opened = [];
  const receiver = startReceiver(fixture, 'bob');
  let alice;
  try {
    alice = await connect(fixture, 'alice');
    const pid = relayPid(fixture);
    // Half-open flood: connections that never finish a frame (half of them start one).
    for (let i = 0; i < halfOpen; i += 1) {
      const raw = await openRaw(fixture.socket);
      opened.push(raw);
      if (i % 2 === 0) await raw.write('{"jsonrpc":"2.0","id":1,"meth');
    }
    let fuzzing = true;
    const latencies = [];
    let probeSent = 0;
    const probe = (async () => {
      while (fuzzing) {
        const t0 = performance.now();
        await alice.request('send', { to: ['bob'], body: `probe ${probeSent}`, request_id: `probe-${probeSent}` });
        latencies.push(performance.now() - t0);
        probeSent += 1;
        await sleep(20);
      }
    })();
    let structured = 0;
    let sent = 0;
    await Promise.all(
      Array.from({ length: fuzzers }, async (_, f) => {
        const raw = await openRaw(fixture.socket);
        opened.push(raw);
        // Half the fuzzers say hello first, so methods get past the hello gate too.
        if (f % 2 === 1)
          await raw.request(
            'hello',
            'hello',
            helloParams(fixture.bundle, 'carol', undefined, operatorKey(fixture.socket)),
          );
        for (let n = 0; n < frames; n += 1) {
          await raw.write(`${badFrame(fixture.bundle, n)}\n`);
          sent += 1;
          if (n % 50 === 49) await sleep(1);
        }
        for (let n = 0; n < oversized / fuzzers; n += 1) {
          await raw.write(
            `{"jsonrpc":"2.0","id":"big","method":"send","params":{"body":"${'y'.repeat(1.2 * 1024 * 1024)}"}}\n`,
          );
          sent += 1;
        }
        // A final good request proves the connection itself survived its garbage.
        const alive = await raw.request(
          'alive',
          f % 2 === 1 ? 'list' : 'hello',
          f % 2 === 1 ? {} : helloParams(fixture.bundle, 'carol', undefined, operatorKey(fixture.socket)),
          30_000,
        );
        // Either answer proves it: a result, or a structured refusal (a fuzzed hello may have bound it).
        if (alive.error && codeOf(alive) !== 'validation_duplicate_hello')
          failures.push(`fuzzer ${f}: connection unusable after fuzzing (${codeOf(alive)})`);
        structured += raw.frames.filter((frame) => typeof codeOf(frame) === 'string').length;
        if (raw.unparsable > 0) failures.push(`fuzzer ${f}: ${raw.unparsable} unparsable answer lines`);
      }),
    );
    fuzzing = false;
    await probe;
    await waitFor(() => receiver.state.seen.length >= probeSent, {
      timeoutMs: 30_000,
      what: 'probe messages to arrive',
    }).catch((error) => failures.push(error.message));
    const after = relayPid(fixture);
    if (after !== pid) failures.push(`relay changed from pid ${pid} to ${after}: it died`);
    const errors = relayLogErrors(fixture);
    if (errors.length > 0) failures.push(`relay logged ${errors.length} internal errors: ${errors[0].slice(0, 300)}`);
    const maxLatency = Math.max(...latencies);
    if (maxLatency > LATENCY_BOUND_MS)
      failures.push(`good client latency ${Math.round(maxLatency)} ms > ${LATENCY_BOUND_MS} ms`);
    if (structured < sent * 0.5) failures.push(`only ${structured} structured errors for ${sent} bad frames`);
    const lost = Math.max(0, probeSent - receiver.state.seen.length);
    return {
      scenario: '2 frame fuzzing',
      load: `${fuzzers} fuzzers × ${frames} frames + ${halfOpen} half-open`,
      faults: `${sent} bad frames`,
      accepted: probeSent,
      delivered: receiver.state.seen.length,
      lost,
      duplicated: receiver.state.duplicates,
      maxLatency: `${ms(maxLatency)} good client`,
      extra: `${structured} structured errors; relay pid unchanged: ${after === pid}`,
      failures,
    };
  } finally {
    for (const raw of opened) raw.close();
    alice?.close();
    await receiver.stop();
    await disposeFixture(fixture);
  }
}
