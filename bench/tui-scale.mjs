// The dashboard with 10,000 messages in history, on a 120×40 terminal: time from spawning
// `agentmux tui` to its first full frame, its RSS once the operator's unread messages are
// acked, how far behind a burst of 2,000 new messages it shows the last one, and how long
// seven keys (Tab, five Up, t) take to open a thread. Budgets (moved from the tests
// tui-scale.test.ts and app.test.tsx): first frame < 10 s, RSS < 250 MiB, burst shown < 5 s
// after the last send is answered, keys < 3 s.
import { connect, createFixture, disposeFixture, relayLogTail, sleep } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { round } from './lib/stats.mjs';
import { memoryMiB, openTerminal } from './lib/terminal.mjs';

const HISTORY = 10_000;
const BURST = 2_000;

/** Sends `count` messages from `sender` (every tenth to the operator, the rest to a2), 200 at a time. */
async function seed(sender, count, label) {
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, (_, i) => start + i);
    await Promise.all(
      batch.map((n) =>
        sender.request('send', {
          to: [n % 10 === 0 ? 'user' : 'a2'],
          body: `${label} ${n}: ${'status report '.repeat(1 + (n % 7))}\nsecond line of ${n}`,
        }),
      ),
    );
  }
}

const fixture = createFixture({ sessions: ['a1', 'a2'], prefix: 'agentmux-bench-tuiscale' });
let sender;
let terminal;
try {
  sender = await connect(fixture, 'a1');
  await seed(sender, HISTORY, 'history');
  const started = performance.now();
  terminal = openTerminal(['tui', '--bundle', fixture.bundle], { env: fixture.env });
  const firstFrame =
    (await terminal.waitScreen(
      new RegExp(`history ${HISTORY - 1}:[\\s\\S]*Enter send|Enter send[\\s\\S]*history ${HISTORY - 1}:`),
      60_000,
    )) - started;
  // The operator's unread messages are pushed on subscribe and acked in batches.
  let unread = -1;
  for (let i = 0; i < 300 && unread !== 0; i += 1) {
    unread = (await sender.request('list', {})).sessions?.find((s) => s.id === 'user')?.unread ?? 0;
    if (unread !== 0) await sleep(100);
  }
  const loaded = memoryMiB(terminal.pid);
  say(
    `first full frame ${firstFrame.toFixed(0)} ms; RSS ${loaded.rss.toFixed(1)} MiB (peak ${loaded.peak.toFixed(1)}) with ${HISTORY} messages`,
  );
  const burstStarted = performance.now();
  await seed(sender, BURST, 'burst');
  const sent = performance.now();
  const shown = await terminal.waitScreen(new RegExp(`burst ${BURST - 1}:`), 60_000);
  const keysAt = performance.now();
  terminal.write('\t');
  await terminal.waitScreen(/▸ Messages/);
  for (const key of ['\u001b[A', '\u001b[A', '\u001b[A', '\u001b[A', '\u001b[A', 't']) terminal.write(key);
  const keysDone = await terminal.waitScreen(/▸ Thread/);
  const after = memoryMiB(terminal.pid);
  say(
    `burst of ${BURST}: sent in ${(sent - burstStarted).toFixed(0)} ms, last shown ${(shown - sent).toFixed(0)} ms after; 7 keys ${(keysDone - keysAt).toFixed(0)} ms; RSS ${after.rss.toFixed(1)} MiB`,
  );
  printResult('tui-scale', {
    history: HISTORY,
    first_frame_ms: round(firstFrame, 0),
    rss_mib: round(Math.max(loaded.rss, after.rss), 1),
    burst_lag_ms: round(shown - sent, 0),
    keys_ms: round(keysDone - keysAt, 0),
  });
} catch (error) {
  process.stderr.write(`tui-scale failed: ${error?.stack ?? error}\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  await terminal?.close();
  sender?.close();
  await disposeFixture(fixture);
}
