// Scenario 8: connection limits. Floods of connections that never say hello, hang-ups at the
// limit (the CLI's own reachability probe does that), and thousands of idle connections of
// one session. Invariants: the relay never dies (same pid), refused connections hear
// relay_busy, every pool stays at its limit, and another session's sends still go through.
import { codeOf, helloParams, openRaw, operatorKey } from '../lib/raw.mjs';
import {
  connect,
  createFixture,
  disposeFixture,
  processStats,
  relayLogErrors,
  relayPid,
  sleep,
  waitFor,
} from '../lib/fixture.mjs';

/** Connections per flood and hang-ups at the limit. */
export const CONNECTION_LIMIT_SIZES = {
  ci: { flood: 2100, probes: 50, legit: 20 },
  full: { flood: 4000, probes: 500, legit: 200 },
};
const BATCH = 100;

/** Opens `count` raw connections, BATCH at a time, running `then` on each batch. */
async function floodOf(socket, count, then = async () => undefined) {
  const all = [];
  for (let start = 0; start < count; start += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, count - start) }, () => openRaw(socket).catch(() => undefined)),
    );
    const opened = batch.filter(Boolean);
    await then(opened, start);
    all.push(...opened);
  }
  return all;
}

/** Counts connections the relay refused with relay_busy (they are closed after the frame). */
async function refusals(connections) {
  await sleep(300);
  let busy = 0;
  for (const connection of connections)
    if (connection.frames.some((f) => f.id === null && codeOf(f) === 'relay_busy')) busy += 1;
  return busy;
}

export async function runConnectionLimit(size) {
  const { flood, probes, legit } = CONNECTION_LIMIT_SIZES[size];
  const fixture = createFixture({ name: 'connlimit', sockets: ['alice', 'bob', 'carol'] });
  const failures = [];
  const opened = [];
  try {
    const bob = await connect(fixture, 'bob');
    const pid = relayPid(fixture);
    const start = processStats(pid);
    let peakFds = start.fds;
    const sample = () => {
      try {
        peakFds = Math.max(peakFds, processStats(pid).fds);
      } catch {
        // gone: the pid check reports it
      }
    };

    // 1. Connections that never say hello, then hang-ups while the relay is full.
    const silent = await floodOf(fixture.socket, flood);
    opened.push(...silent);
    sample();
    const silentRefused = await refusals(silent);
    const silentHeld = silent.length - silentRefused;
    for (let i = 0; i < probes; i += 1) {
      const probe = await openRaw(fixture.socket).catch(() => undefined);
      probe?.close();
    }
    if (silentRefused === 0) failures.push(`no relay_busy among ${flood} silent connections`);
    for (const connection of silent) connection.close();

    // 2. Thousands of idle connections of one session (alice), each saying hello.
    let bound = 0;
    let busy = 0;
    await sleep(300);
    const idle = await floodOf(fixture.socket, flood, async (batch, offset) => {
      const answers = await Promise.all(
        batch.map((c, i) =>
          c
            .request(offset + i, 'hello', helloParams(fixture.bundle, 'alice', undefined, operatorKey(fixture.socket)))
            .catch(() => undefined),
        ),
      );
      for (const answer of answers) {
        if (answer?.result) bound += 1;
        else if (codeOf(answer) === 'relay_busy') busy += 1;
      }
    });
    opened.push(...idle);
    sample();

    // 3. Meanwhile another session sends, and alice is told "busy", not "unavailable".
    const carol = await connect(fixture, 'carol');
    let accepted = 0;
    for (let i = 0; i < legit; i += 1) {
      await carol.request('send', { to: ['bob'], body: `legit ${i}` });
      accepted += 1;
    }
    carol.close();
    let aliceCode = 'connected';
    try {
      (await connect(fixture, 'alice')).close();
    } catch (error) {
      aliceCode = error.code;
    }
    if (aliceCode !== 'relay_busy') failures.push(`alice at her limit got ${aliceCode}, not relay_busy`);
    const inbox = await bob.request('inbox.fetch', { limit: 1000 });
    const delivered = inbox.messages.filter((m) => m.body.startsWith('legit ')).length;
    bob.close();
    for (const connection of idle) connection.close();
    await waitFor(() => processStats(pid).fds <= start.fds + 4, { timeoutMs: 15_000, what: 'descriptors back' }).catch(
      (error) => failures.push(error.message),
    );
    const end = processStats(pid);

    if (relayPid(fixture) !== pid) failures.push('the relay died and was restarted');
    if (busy + bound !== flood) failures.push(`${flood - busy - bound} hellos got neither a binding nor relay_busy`);
    if (bound === 0 || busy === 0) failures.push(`alice bound ${bound}, busy ${busy}: no per-session limit`);
    const errors = relayLogErrors(fixture);
    if (errors.length > 0) failures.push(`relay logged errors: ${errors.slice(0, 2).join(' | ')}`);
    return {
      scenario: '8 connection limit',
      load: `${flood} silent + ${flood} idle hello'd conns, ${probes} hang-ups, ${legit} sends`,
      faults: 'connection floods, hang-up at the limit',
      accepted,
      delivered,
      lost: accepted - delivered,
      duplicated: inbox.messages.length - new Set(inbox.messages.map((m) => m.id)).size,
      maxLatency: '—',
      extra:
        `held ${silentHeld} silent (refused ${silentRefused}), alice ${bound} bound/${busy} busy; ` +
        `fds ${start.fds}/${peakFds}/${end.fds}; pid ${relayPid(fixture) === pid ? 'unchanged' : 'CHANGED'}`,
      failures,
    };
  } finally {
    for (const connection of opened) connection.close();
    await disposeFixture(fixture);
  }
}
