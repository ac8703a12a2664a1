// Deliveries nobody can take yet stay in the journal ("parked"), not in the router's memory:
// an inbox-only recipient holds none, a subscriber or deliverer pages them in, in order, and
// a read, a wait or a restart treats a parked copy exactly like one held in memory.
import { describe, expect, it } from 'vitest';
import { LOADED_PER_RECIPIENT, SOCKET_WINDOW } from '../../../src/relay/router.js';
import { FakeDeliverer, FakeSubscriber, settle } from './fixtures.js';
import { harness, routerContext } from './router-harness.js';

const ctx = routerContext();
const BACKLOG = LOADED_PER_RECIPIENT + SOCKET_WINDOW + 7;

describe('Router parked deliveries', () => {
  it('holds none of an inbox-only recipient’s deliveries in memory, and counts them all as queued', () => {
    const h = harness(ctx);
    h.journal.transaction(() => {
      for (let n = 0; n < BACKLOG; n += 1) h.send('alice', ['carol'], `m${n}`);
    });
    expect(h.router.loaded('carol')).toBe(0);
    expect(h.router.queued('carol')).toBe(BACKLOG);
    expect(h.router.unreadOf('carol')).toBe(BACKLOG);
  });

  it('pages a backlog in for a subscriber that comes later: every message once, in send order', () => {
    const h = harness(ctx);
    const sent = h.journal.transaction(() =>
      Array.from({ length: BACKLOG }, (_, n) => h.send('alice', ['carol'], `m${n}`)),
    );
    const subscriber = new FakeSubscriber(1);
    h.router.attach('carol', subscriber);
    expect(subscriber.pushed).toHaveLength(SOCKET_WINDOW);
    expect(h.router.loaded('carol')).toBeLessThanOrEqual(LOADED_PER_RECIPIENT);
    // Acks in pushed order: each frees a slot of the window, the next page loads when half are done.
    for (let acked = 0; acked < subscriber.pushed.length; acked += 1) {
      h.router.markRead('carol', [subscriber.pushed[acked]!.message.seq]);
      expect(h.router.loaded('carol')).toBeLessThanOrEqual(LOADED_PER_RECIPIENT);
    }
    expect(subscriber.bodies).toEqual(sent.map((m) => m.body));
    expect(h.router.queued('carol')).toBe(0);
    expect(h.router.unreadOf('carol')).toBe(0);
  });

  it('keeps messages sent while a backlog is parked behind it', () => {
    const h = harness(ctx);
    h.send('alice', ['carol'], 'old');
    const subscriber = new FakeSubscriber(1);
    h.router.attach('carol', subscriber);
    h.router.detach('carol', 1);
    h.send('alice', ['carol'], 'parked');
    const again = new FakeSubscriber(2);
    h.router.attach('carol', again);
    h.send('alice', ['carol'], 'new');
    expect(again.bodies).toEqual(['old', 'parked', 'new']);
  });

  it('completes a parked copy that is read from the inbox, and ends a wait on it', async () => {
    const h = harness(ctx);
    const message = h.send('alice', ['carol', 'dave'], 'question');
    const wait = h.router.waitForFinal(message.seq, 600_000);
    h.router.markRead('carol', [message.seq]);
    expect(h.stored(message, 'carol')?.state).toBe('delivered');
    expect(h.stored(message, 'carol')?.read_at).not.toBeNull();
    expect(h.router.queued('carol')).toBe(0);
    expect(h.router.unreadOf('carol')).toBe(0);
    h.router.markRead('dave', [message.seq]);
    await expect(wait).resolves.toBe(true);
    // Read again: nothing changes, nothing is counted twice.
    h.router.markRead('carol', [message.seq]);
    expect(h.router.unreadOf('carol')).toBe(0);
  });

  it('reports a parked copy read elsewhere as delivered to listeners', () => {
    const h = harness(ctx);
    const changes: string[] = [];
    h.router.onChange(({ recipient, state }) => changes.push(`${recipient}:${state}`));
    const message = h.send('alice', ['carol']);
    h.router.markRead('carol', [message.seq]);
    expect(changes).toEqual(['carol:delivered']);
  });

  it('resumes after a restart without loading deliveries nobody can take, then pages them to a deliverer', async () => {
    const h = harness(ctx);
    h.journal.transaction(() => {
      for (let n = 0; n < BACKLOG; n += 1) h.send('alice', ['carol', 'bob'], `m${n}`);
    });
    h.batcher.close();
    h.router.close();

    const deliverer = new FakeDeliverer(['bob']);
    const { router } = harness(ctx, [deliverer], ctx.temp.reopen());
    expect(router.resume()).toBe(2 * BACKLOG);
    expect(router.loaded('carol')).toBe(0);
    expect(router.queued('carol')).toBe(BACKLOG);
    expect(router.loaded('bob')).toBe(LOADED_PER_RECIPIENT);
    for (let n = 0; n < BACKLOG; n += 1) {
      await settle();
      const attempt = deliverer.attempts[n];
      expect(attempt?.message.body).toBe(`m${n}`);
      attempt!.settle({ state: 'delivered' });
    }
    await settle();
    expect(deliverer.attempts).toHaveLength(BACKLOG);
    expect(router.queued('bob')).toBe(0);
  });
});

describe('Router parked delivery state', () => {
  it('answers the state of a just-sent parked copy without reading the journal, and reads it once settled', () => {
    const h = harness(ctx);
    let reads = 0;
    const counting = new Proxy(h.journal, {
      get(target, key, receiver) {
        if (key === 'deliveryOf') reads += 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const counted = harness(ctx, [], counting);
    const router = counted.router;
    const message = counted.send('alice', ['carol']);
    expect(router.stateOf(message.seq, 'carol')).toEqual({ state: 'queued', reason: null });
    expect(reads).toBe(0);
    router.markRead('carol', [message.seq]);
    expect(router.stateOf(message.seq, 'carol').state).toBe('delivered');
  });

  it('reads a half-typed copy parked at resume from the journal, not assuming it queued', () => {
    const h = harness(ctx);
    const typed = h.send('alice', ['carol'], 'half typed');
    h.journal.updateDelivery({
      seq: typed.seq,
      recipient: 'carol',
      state: 'typing',
      reason: null,
      at: typed.created_at,
    });
    h.batcher.close();
    h.router.close();
    const { router } = harness(ctx, [], ctx.temp.reopen());
    router.resume();
    expect(router.loaded('carol')).toBe(0);
    expect(router.stateOf(typed.seq, 'carol').state).toBe('typing');
  });
});
