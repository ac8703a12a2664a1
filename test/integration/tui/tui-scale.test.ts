// The dashboard with 10,000 messages in history: it draws its first full frame, acks the
// operator's unread messages, follows a burst of new messages and still answers keys. How
// fast and in how much memory is bench/tui-scale.mjs's figure, not a test's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import { runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { startUi, type UiPane } from './ui-pane.js';

const BUNDLE = 'big';
const HISTORY = 10_000;
let roots: TempRoots;
let sender: RelayClient;
let ui: UiPane | undefined;

/** Sends `count` messages from a1 (every tenth to the operator, the rest to a2), 200 at a time. */
async function seed(count: number, label: string): Promise<void> {
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

beforeAll(async () => {
  roots = makeTempRoots('tuibig');
  writeBundle(roots, BUNDLE, [{ id: 'a1' }, { id: 'a2' }]);
  sender = await connectTo(roots, BUNDLE, 'a1');
  await seed(HISTORY, 'history');
}, 120_000);

afterAll(async () => {
  await ui?.kill();
  sender?.close();
  await stopRelay(roots, BUNDLE);
  roots?.cleanup();
}, 30_000);

describe('agentmux tui with 10,000 messages in history', () => {
  it("draws its first full frame and acks the operator's unread messages", async () => {
    ui = await startUi(roots, { columns: 120, rows: 40, args: ['--bundle', BUNDLE] });
    await ui.waitFor(
      (s) => s.includes(`history ${HISTORY - 1}:`) && /● relay \d+/.test(s) && s.includes('Enter send'),
      'the first full frame',
      30_000,
    );
    // The operator's 1,000 unread messages are pushed on subscribe and acked in batches.
    await ui.waitFor((s) => /user\s+operator \(you\)/.test(s), 'the roster');
    let unread = -1;
    for (let i = 0; i < 100 && unread !== 0; i += 1) {
      const inbox = await runCli(roots, [
        'inbox',
        '--unread',
        '--peek',
        '--json',
        '--limit',
        '1000',
        '--bundle',
        BUNDLE,
      ]);
      unread = (JSON.parse(inbox.stdout) as unknown[]).length;
      if (unread !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(unread).toBe(0);
  });

  it('follows a burst of 2,000 new messages and still answers keys', async () => {
    if (!ui) throw new Error('no dashboard');
    await seed(2000, 'burst');
    await ui.waitFor((s) => s.includes('burst 1999:'), 'the newest message', 30_000);
    await ui.keys(['Tab']);
    await ui.waitFor((s) => s.includes('▸ Messages'), 'the stream to take focus');
    await ui.keys(['Up', 'Up', 'Up', 'Up', 'Up', 't']);
    await ui.waitFor((s) => s.includes('▸ Thread'), 'the thread view');
  });

  it('stops cleanly on SIGTERM, leaving the alternate screen', async () => {
    if (!ui) throw new Error('no dashboard');
    const pane = ui;
    process.kill(await pane.pid(), 'SIGTERM');
    for (let i = 0; i < 100 && pane.exitCode() === undefined; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(pane.exitCode()).toBe(0);
    expect((await pane.tmux(['display-message', '-p', '-t', 'ui', '#{alternate_on}'])).stdout.trim()).toBe('0');
  });
});
