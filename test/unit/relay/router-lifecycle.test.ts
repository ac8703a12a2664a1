// Router lifecycle: waits end with their client or with the router, deliveries in flight are
// tracked until they settle (stop awaits them before the journal closes), and a failure
// after a delivery is reported instead of left as an unhandled rejection.
import { describe, expect, it } from 'vitest';
import { FakeDeliverer, settle } from './fixtures.js';
import { harness, routerContext } from './router-harness.js';

const ctx = routerContext();

describe('Router waits', () => {
  it('ends a wait when its client goes (the signal aborts), long before its timeout', async () => {
    const h = harness(ctx);
    const message = h.send('alice', ['bob']);
    const gone = new AbortController();
    const wait = h.router.waitForFinal(message.seq, 600_000, gone.signal);
    gone.abort();
    // The manual clock never advances: only the abort can end this wait.
    await expect(wait).resolves.toBe(false);
    expect(ctx.clock.pending).toEqual([]);
  });

  it('ends every wait when the router closes, and keeps no timer', async () => {
    const h = harness(ctx);
    const message = h.send('alice', ['bob']);
    const waits = [h.router.waitForFinal(message.seq, 600_000), h.router.waitForFinal(message.seq, 300_000)];
    h.router.close();
    await expect(Promise.all(waits)).resolves.toEqual([false, false]);
    expect(ctx.clock.pending).toEqual([]);
  });

  it('still resolves true when the delivery completes before the client goes', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const message = h.send('alice', ['bob']);
    const gone = new AbortController();
    const wait = h.router.waitForFinal(message.seq, 600_000, gone.signal);
    deliverer.for('bob')[0]?.settle({ state: 'delivered' });
    await expect(wait).resolves.toBe(true);
    gone.abort();
    expect(ctx.clock.pending).toEqual([]);
  });
});

describe('Router deliveries in flight', () => {
  it('settles only once a delivery in flight has finished, with its outcome journaled', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const message = h.send('alice', ['bob']);
    const attempt = deliverer.for('bob')[0];
    // Like the tmux transport: on abort the delivery stops and asks for a requeue, a little later.
    attempt?.signal.addEventListener('abort', () =>
      setImmediate(() => attempt.settle({ state: 'queued', reason: 'interrupted' })),
    );
    let settled = false;
    h.router.close();
    const done = h.router.settled(10_000).then((all) => {
      settled = true;
      return all;
    });
    expect(settled).toBe(false);
    await expect(done).resolves.toBe(true);
    expect(h.stored(message, 'bob')?.state).toBe('queued');
  });

  it('says so when a delivery does not finish within the grace period', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    h.send('alice', ['bob']);
    h.router.close();
    await expect(h.router.settled(10)).resolves.toBe(false);
    deliverer.for('bob')[0]?.settle({ state: 'queued', reason: 'interrupted' });
    await expect(h.router.settled(10_000)).resolves.toBe(true);
  });

  it('reports a failure after the delivery (a listener throwing) instead of leaving it unhandled', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    h.send('alice', ['bob']);
    h.router.onChange(({ state }) => {
      if (state === 'delivered') throw new Error('listener broke');
    });
    deliverer.for('bob')[0]?.settle({ state: 'delivered' });
    await h.router.settled(10_000);
    await settle();
    expect(ctx.errors.map((e) => [e.context, String(e.error)])).toContainEqual([
      'delivery to bob',
      'Error: listener broke',
    ]);
  });
});
