// Scenario 9: memory budget. Subscribers to every event that never read, while large
// messages flow: without a relay-wide budget each would buffer up to its own cap (the issue
// measured RSS 63 → 1,525 MiB, staying there). Invariants: the relay never dies (same pid),
// the stalled subscribers are dropped with a logged reason, a subscriber that reads misses
// nothing, nothing is lost, the peak stays within the budget above what the same traffic
// leaves behind without them (a control round runs first), and once they are dropped and the
// relay is quiet it releases the memory (logged) and its RSS comes back near the baseline.
import { readFileSync } from 'node:fs';
import { auditJournal } from '../lib/journal.mjs';
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

/** Stalled subscribers × sends of `bodyKiB` (the reproduction at CI size). */
export const MEMORY_BUDGET_SIZES = {
  ci: { stalled: 20, sends: 300, bodyKiB: 250 },
  full: { stalled: 100, sends: 1000, bodyKiB: 250 },
};
/** The relay's default budget (src/relay/output-budget.ts), for the peak bound. */
const BUDGET_MIB = 256;
/**
 * Resident memory allowed above the baseline once the stalled subscribers are gone and the
 * relay released memory. What stays is bounded state, not the dropped queues: the message cache
 * and the replay ring at their byte caps (16 MiB of bodies here), SQLite's page cache (16 MiB),
 * V8's young generation (up to 32 MiB until V8 shrinks it on its own) and allocator noise.
 * Measured after the fix: +56 to +65 MiB. Before it: +137 to +186 (glibc kept the freed
 * 250 KiB blocks in a main heap pinned by small blocks: 101 MiB of heap, 29 MiB in use; and
 * nothing collected the dropped queues until V8 happened to, 10–25 s later).
 */
const END_ABOVE_BASELINE_MIB = 112;

async function eventSubscriber(fixture) {
  const connection = await openRaw(fixture.socket);
  const hello = await connection.request(
    'h',
    'hello',
    helloParams(fixture.bundle, 'user', undefined, operatorKey(fixture.socket)),
  );
  if (codeOf(hello)) throw new Error(`hello failed: ${codeOf(hello)}`);
  await connection.request('s', 'subscribe', { events: true });
  return connection;
}

/** A subscriber that reads everything and only counts the messages it saw. */
async function countingReader(fixture) {
  const reader = await eventSubscriber(fixture);
  reader.saw = 0;
  // Runs after the raw connection parsed the chunk; the reader keeps nothing.
  reader.socket.on('data', () => {
    reader.saw += reader.frames.filter((f) => f.method === 'message.created').length;
    reader.frames.length = 0;
  });
  return reader;
}

function logEntries(fixture, event) {
  return readFileSync(fixture.log, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"${event}"`))
    .map((line) => JSON.parse(line));
}

/** Resident KiB of glibc's main heap (the `[heap]` mapping): what malloc keeps after frees. */
function mallocHeapKiB(pid) {
  const lines = readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.endsWith('[heap]'));
  if (start === -1) return 0;
  const rss = lines.slice(start + 1).find((line) => line.startsWith('Rss:'));
  return Number(/(\d+)/.exec(rss ?? '')?.[1] ?? 0);
}

/** Sends `sends` large messages alice → bob; returns how many were answered and the slowest answer. */
async function traffic(alice, sends, bodyKiB, tag, answered) {
  const body = 'x'.repeat(bodyKiB * 1024);
  let accepted = 0;
  let slowest = 0;
  for (let i = 0; i < sends; i += 1) {
    const t0 = performance.now();
    const result = await alice.request('send', { to: ['bob'], body: `${tag} ${i} ${body}` });
    slowest = Math.max(slowest, performance.now() - t0);
    answered.add(result.message_id);
    accepted += 1;
  }
  return { accepted, slowest };
}

export async function runMemoryBudget(size) {
  const { stalled: stalledCount, sends, bodyKiB } = MEMORY_BUDGET_SIZES[size];
  const fixture = createFixture({ name: 'membudget', sockets: ['alice', 'bob'] });
  const failures = [];
  const opened = [];
  const answered = new Set();
  try {
    const alice = await connect(fixture, 'alice');
    const pid = relayPid(fixture);
    await sleep(500);
    const before = processStats(pid).rssKiB;
    const heapBefore = mallocHeapKiB(pid);
    let peak = before;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, processStats(pid).rssKiB);
      } catch {
        // gone: the pid check reports it
      }
    }, 100);

    // Control round: the same traffic with one reading subscriber only.
    const controlReader = await countingReader(fixture);
    opened.push(controlReader);
    const control = await traffic(alice, sends, bodyKiB, 'control', answered);
    await waitFor(() => controlReader.saw >= sends, { timeoutMs: 60_000, what: 'the control reader' }).catch((error) =>
      failures.push(error.message),
    );
    controlReader.close();
    await sleep(2000);
    const controlAfter = processStats(pid).rssKiB;
    const controlPeak = peak;

    // Stalled round: the same traffic while `stalledCount` subscribers never read.
    const stalled = await Promise.all(Array.from({ length: stalledCount }, () => eventSubscriber(fixture)));
    for (const connection of stalled) connection.socket.pause();
    opened.push(...stalled);
    const reader = await countingReader(fixture);
    opened.push(reader);
    peak = processStats(pid).rssKiB;
    const started = performance.now();
    const round = await traffic(alice, sends, bodyKiB, 'stalled', answered);
    const sendSeconds = (performance.now() - started) / 1000;
    await waitFor(() => reader.saw >= sends, { timeoutMs: 60_000, what: 'the reader to see every message' }).catch(
      (error) => failures.push(`${error.message} (saw ${reader.saw} of ${sends})`),
    );
    const dropped = logEntries(fixture, 'connection.dropped');
    for (const connection of stalled) connection.socket.resume();
    await waitFor(() => stalled.filter((c) => c.closed).length >= dropped.length, {
      timeoutMs: 30_000,
      what: 'dropped subscribers to see their close',
    }).catch((error) => failures.push(error.message));
    for (const connection of stalled) connection.close();
    // The relay collects what the dropped queues held once it has been quiet for a moment.
    const quietRelease = () => logEntries(fixture, 'memory.released').some((entry) => entry.trigger === 'quiet');
    await waitFor(quietRelease, { timeoutMs: 30_000, what: 'the relay to release memory once quiet' }).catch((error) =>
      failures.push(error.message),
    );
    await sleep(2000);
    clearInterval(sampler);
    const after = processStats(pid).rssKiB;
    const heapAfter = mallocHeapKiB(pid);

    alice.close();
    // bob takes no delivery here: "delivered" counts messages journaled for him.
    const audit = auditJournal(fixture.journal, answered);
    const accepted = control.accepted + round.accepted;
    const delivered = answered.size - audit.missing.length;

    if (relayPid(fixture) !== pid) failures.push('the relay died and was restarted');
    if (dropped.length === 0) failures.push('no stalled subscriber was dropped');
    if (dropped.length > 0 && !dropped.some((d) => d.reason === 'output_budget'))
      failures.push(`no drop for the output budget: ${[...new Set(dropped.map((d) => d.reason))].join(', ')}`);
    if (reader.closed) failures.push('the reading subscriber was dropped');
    if ((peak - controlAfter) / 1024 > BUDGET_MIB)
      failures.push(`peak RSS ${mib(peak)} is far above the budget over the control's ${mib(controlAfter)}`);
    if ((after - before) / 1024 > END_ABOVE_BASELINE_MIB)
      failures.push(`RSS stayed at ${mib(after)} after the subscribers went (baseline ${mib(before)})`);
    const errors = relayLogErrors(fixture);
    if (errors.length > 0) failures.push(`relay logged errors: ${errors.slice(0, 2).join(' | ')}`);
    return {
      scenario: '9 memory budget',
      load: `${stalledCount} stalled event subscribers, ${sends} sends × ${bodyKiB} KiB (+ control round)`,
      faults: 'subscribers that never read',
      accepted,
      delivered,
      lost: accepted - delivered,
      duplicated: audit.duplicates,
      maxLatency: `${Math.round(Math.max(control.slowest, round.slowest))} ms answer`,
      extra:
        `RSS before ${mib(before)}, control ${mib(controlPeak)}/${mib(controlAfter)} (peak/after), ` +
        `stalled ${mib(peak)}/${mib(after)} (peak/after), malloc heap ${mib(heapBefore)}→${mib(heapAfter)}; ` +
        `dropped ${dropped.length} of ${stalledCount}, ` +
        `reader saw ${reader.saw}/${sends}, ${sendSeconds.toFixed(1)} s of sends; pid ${relayPid(fixture) === pid ? 'unchanged' : 'CHANGED'}`,
      failures,
    };
  } finally {
    for (const connection of opened) connection.close();
    await disposeFixture(fixture);
  }
}

function mib(kib) {
  return `${Math.round(kib / 1024)} MiB`;
}
