// Scenario 6: soak. S sessions × K messages, mixed socket and tmux (scripted agents get
// ≤ 5 % of them), every socket session both sending and taking delivery. The relay's RSS and
// open descriptors are sampled from /proc throughout. Invariants: nothing lost or duplicated,
// every delivery final, descriptors back to where they started, memory flat (bounded growth).
import { auditJournal, openDeliveries } from '../lib/journal.mjs';
import { startReceiver } from '../lib/receiver.mjs';
import { ms } from '../lib/table.mjs';
import {
  agentLog,
  connect,
  createFixture,
  disposeFixture,
  processStats,
  relayPid,
  sleep,
  upAgents,
  waitFor,
} from '../lib/fixture.mjs';

/** Sizes: CI 10 × 100 (Settled 29), full 50 × 1,000 (issue 8). */
export const SOAK_SIZES = {
  ci: { sessions: 10, perSession: 100, agents: 2 },
  full: { sessions: 50, perSession: 1000, agents: 5 },
};
const TMUX_SHARE = 0.03;
const WINDOW = 16;
/** Allowed growth from the start: descriptors (none may leak) and resident memory. */
const FD_SLACK = 4;
const RSS_END_SLACK_KIB = 96 * 1024;

export async function runSoak(size) {
  const { sessions, perSession, agents: agentCount } = SOAK_SIZES[size];
  const agents = Array.from({ length: agentCount }, (_, i) => `a${i}`);
  const sockets = Array.from({ length: sessions - agentCount }, (_, i) => `s${i}`);
  const fixture = createFixture({ name: 'soak', sockets, agents });
  const failures = [];
  const receivers = [];
  try {
    await upAgents(fixture);
    for (const session of sockets) receivers.push(startReceiver(fixture, session));
    const senders = await Promise.all(sockets.map((session) => connect(fixture, session)));
    await waitFor(() => receivers.every((r) => r.state.client !== undefined), { what: 'receivers to connect' });
    await sleep(500);
    const pid = relayPid(fixture);
    const start = processStats(pid);
    const peak = { ...start };
    const sampler = setInterval(() => {
      try {
        const now = processStats(pid);
        peak.rssKiB = Math.max(peak.rssKiB, now.rssKiB);
        peak.fds = Math.max(peak.fds, now.fds);
      } catch {
        // sampled after exit; the pid check below reports it
      }
    }, 250);
    const total = sessions * perSession;
    const perSender = Math.ceil(total / sockets.length);
    const expected = new Map([...sockets, ...agents].map((s) => [s, 0]));
    const answered = new Set();
    const latencies = [];
    let tmuxCount = 0;
    await Promise.all(
      senders.map(async (client, k) => {
        for (let base = 0; base < perSender; base += WINDOW) {
          const batch = [];
          for (let j = base; j < Math.min(perSender, base + WINDOW); j += 1) {
            const toTmux = Math.random() < TMUX_SHARE;
            const pool = toTmux ? agents : sockets.filter((s) => s !== sockets[k]);
            const to = pool[Math.floor(Math.random() * pool.length)];
            expected.set(to, expected.get(to) + 1);
            if (toTmux) tmuxCount += 1;
            const t0 = performance.now();
            batch.push(
              client.request('send', { to: [to], body: `soak ${k}-${j}`, request_id: `soak-${k}-${j}` }).then((r) => {
                latencies.push(performance.now() - t0);
                answered.add(r.message_id);
              }),
            );
          }
          await Promise.all(batch);
        }
      }),
    );
    const drainMs = size === 'ci' ? 90_000 : 900_000;
    await waitFor(
      async () =>
        receivers.every((r) => r.state.seen.length >= expected.get(r.state.session)) &&
        agents.every((a) => agentLog(fixture, a).length >= expected.get(a)) &&
        (await openDeliveries(fixture.journal)) === 0,
      { timeoutMs: drainMs, what: 'every delivery to finish', everyMs: 250 },
    ).catch((error) => failures.push(error.message));
    for (const client of senders) client.close();
    await sleep(1500);
    clearInterval(sampler);
    const end = processStats(pid);
    if (relayPid(fixture) !== pid) failures.push('the relay restarted during the soak');
    const audit = auditJournal(fixture.journal, answered);
    let delivered = 0;
    let duplicated = audit.duplicates;
    for (const r of receivers) {
      delivered += r.state.seen.length;
      duplicated += r.state.duplicates;
    }
    for (const agent of agents) {
      const ids = agentLog(fixture, agent).map((p) => /--agentmux-(\w+)/.exec(p.text)?.[1]);
      delivered += new Set(ids).size;
      duplicated += ids.length - new Set(ids).size;
    }
    const lost = audit.missing.length + audit.open.length + Math.max(0, total - delivered);
    if (answered.size < total) failures.push(`only ${answered.size} of ${total} sends answered`);
    if (lost > 0) failures.push(`lost ${lost}`);
    if (duplicated > 0) failures.push(`duplicated ${duplicated}`);
    if (audit.failed.length > 0) failures.push(`failed deliveries: ${JSON.stringify(audit.failed.slice(0, 3))}`);
    // The soak's own senders closed: the relay must be back to its starting descriptors.
    if (end.fds > start.fds + FD_SLACK) failures.push(`descriptors grew from ${start.fds} to ${end.fds}`);
    if (end.rssKiB > start.rssKiB + RSS_END_SLACK_KIB)
      failures.push(`RSS grew from ${mib(start.rssKiB)} to ${mib(end.rssKiB)}`);
    return {
      scenario: '6 soak',
      load: `${sessions} sessions × ${perSession} (${total - tmuxCount} socket, ${tmuxCount} tmux)`,
      faults: '—',
      accepted: answered.size,
      delivered,
      lost,
      duplicated,
      maxLatency: `${ms(Math.max(...latencies))} answer`,
      extra: `RSS ${mib(start.rssKiB)}/${mib(peak.rssKiB)}/${mib(end.rssKiB)}, fds ${start.fds}/${peak.fds}/${end.fds} (start/peak/end)`,
      failures,
    };
  } finally {
    await Promise.all(receivers.map((r) => r.stop()));
    await disposeFixture(fixture);
  }
}

function mib(kib) {
  return `${Math.round(kib / 1024)} MiB`;
}
