// Relay memory under a team's load: a bundle of 50 socket sessions; 8 of them (one connection
// each, in this process) send 100,000 small messages round-robin to all 50 with 32 in flight
// each, none of them read (every message stays in its recipient's inbox). The relay's RSS is
// sampled every 50 ms from /proc; its peak (VmHWM) is the budgeted figure. Then the relay is
// restarted on the same journal and its RSS once it answers again is reported, for context.
// Budget (DESIGN.md "Performance budgets"): < 120 MB with 50 sessions and 100k journaled messages.
// `RSS_BENCH_MESSAGES` shrinks it while developing.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { connect, createFixture, disposeFixture, relayLogTail, relayPid, stopRelay } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { round } from './lib/stats.mjs';

const SESSIONS = Array.from({ length: 50 }, (_, i) => `s${i + 1}`);
const SENDERS = 8;
const MESSAGES = Number(process.env.RSS_BENCH_MESSAGES ?? 100_000);
const WINDOW = 32;
const MB = 1_000_000;

/** RSS and peak RSS (VmHWM) of `pid` in MB (the budget is in MB). */
function memoryMB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: (kib('VmRSS') * 1024) / MB, peak: (kib('VmHWM') * 1024) / MB };
}

/** Sender `index` sends its share (every SENDERS-th message), `WINDOW` at a time. */
async function sendShare(client, index) {
  let next = index;
  const lane = async () => {
    while (next < MESSAGES) {
      const n = next;
      next += SENDERS;
      const to = SESSIONS[n % SESSIONS.length];
      await client.request('send', { to: [to], body: `status update ${n}: ${'all tests pass '.repeat(1 + (n % 4))}` });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
}

const fixture = createFixture({ sessions: SESSIONS, prefix: 'agentmux-bench-rss' });
const clients = [];
try {
  for (let i = 0; i < SENDERS; i += 1) clients.push(await connect(fixture, SESSIONS[i]));
  const pid = relayPid(fixture);
  const idle = memoryMB(pid);
  let sampled = idle.rss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, memoryMB(pid).rss)), 50);
  const started = performance.now();
  await Promise.all(clients.map((client, index) => sendShare(client, index)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const loaded = memoryMB(pid);
  say(
    `${MESSAGES} messages to ${SESSIONS.length} inboxes in ${seconds.toFixed(1)} s; relay RSS idle ${idle.rss.toFixed(1)} MB → ${loaded.rss.toFixed(1)} MB after, peak ${loaded.peak.toFixed(1)} MB (sampled ${sampled.toFixed(1)})`,
  );
  for (const client of clients.splice(0)) client.close();

  await stopRelay(fixture);
  const journal = new Database(fixture.journal, { readonly: true });
  const journaled = journal.prepare('SELECT count(*) AS n FROM messages').get().n;
  journal.close();
  if (journaled < MESSAGES) throw new Error(`journal holds ${journaled} messages, expected ≥ ${MESSAGES}`);
  clients.push(await connect(fixture, SESSIONS[0]));
  await clients[0].request('send', { to: [SESSIONS[1]], body: 'after restart' });
  const resumed = memoryMB(relayPid(fixture));
  say(
    `restarted on the ${journaled}-message journal: RSS ${resumed.rss.toFixed(1)} MB (peak ${resumed.peak.toFixed(1)})`,
  );
  printResult('relay-rss', {
    sessions: SESSIONS.length,
    messages: MESSAGES,
    idle_rss_mb: round(idle.rss, 1),
    peak_rss_mb: round(loaded.peak, 1),
    after_rss_mb: round(loaded.rss, 1),
    resumed_rss_mb: round(resumed.rss, 1),
    msgs_per_s: round(MESSAGES / seconds, 0),
  });
} catch (error) {
  process.stderr.write(`relay-rss failed: ${error?.stack ?? error}\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  for (const client of clients) client.close();
  await disposeFixture(fixture);
}
