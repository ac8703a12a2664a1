// Router socket delivery and restarts: per-recipient FIFO to subscribed clients, hand-over
// between subscribers, the in-flight window, and requeueing after the journal is reopened.
import { describe, expect, it } from 'vitest';
import { SOCKET_WINDOW } from '../../../src/relay/router.js';
import { FakeDeliverer, FakeSubscriber, settle } from './fixtures.js';
import { harness, routerContext } from './router-harness.js';

const ctx = routerContext();

describe('Router socket delivery', () => {
  it('pushes a recipient its messages in send order, backlog first', () => {
    const h = harness(ctx);
    h.send('alice', ['bob'], 'one');
    h.send('alice', ['bob'], 'two');
    const subscriber = new FakeSubscriber(1);
    h.router.attach('bob', subscriber);
    h.send('alice', ['bob'], 'three');
    expect(subscriber.bodies).toEqual(['one', 'two', 'three']);
    expect(subscriber.pushed.every((p) => p.state === 'delivering')).toBe(true);
    expect(h.router.queued('bob')).toBe(3);
  });

  it('completes a pushed message when the recipient acks it', () => {
    const h = harness(ctx);
    const subscriber = new FakeSubscriber(1);
    h.router.attach('bob', subscriber);
    const message = h.send('alice', ['bob']);
    expect(h.router.stateOf(message.seq, 'bob').state).toBe('delivering');
    h.router.markRead('bob', [message.seq]);
    expect(h.router.stateOf(message.seq, 'bob').state).toBe('delivered');
    expect(h.stored(message, 'bob')?.read_at).not.toBeNull();
    expect(h.router.unreadOf('bob')).toBe(0);
    expect(h.router.queued('bob')).toBe(0);
  });

  it('puts unacked messages back in the queue when the last subscriber leaves, and redelivers', () => {
    const h = harness(ctx);
    const first = new FakeSubscriber(1);
    const second = new FakeSubscriber(2);
    h.router.attach('bob', first);
    h.router.attach('bob', second);
    const message = h.send('alice', ['bob'], 'hello');
    expect(first.bodies).toEqual(['hello']);
    expect(second.bodies).toEqual(['hello']);

    // Another subscriber still holds the session: nothing is reverted.
    h.router.detach('bob', first.id);
    expect(h.stored(message, 'bob')?.state).toBe('delivering');

    h.router.detach('bob', second.id);
    expect(h.router.stateOf(message.seq, 'bob').state).toBe('queued');
    expect(h.stored(message, 'bob')?.state).toBe('queued');

    const third = new FakeSubscriber(3);
    h.router.attach('bob', third);
    expect(third.bodies).toEqual(['hello']);
    expect(h.stored(message, 'bob')?.state).toBe('delivering');
  });

  it('offers messages already in flight to a subscriber that joins later', () => {
    const h = harness(ctx);
    const first = new FakeSubscriber(1);
    h.router.attach('bob', first);
    h.send('alice', ['bob'], 'in flight');
    const late = new FakeSubscriber(2);
    h.router.attach('bob', late);
    expect(late.bodies).toEqual(['in flight']);
    expect(first.bodies).toEqual(['in flight']);
  });

  it('ignores a detach for an unknown subscriber or session', () => {
    const h = harness(ctx);
    const subscriber = new FakeSubscriber(1);
    h.router.attach('bob', subscriber);
    const message = h.send('alice', ['bob']);
    h.router.detach('bob', 99);
    h.router.detach('nobody', 1);
    expect(h.router.stateOf(message.seq, 'bob').state).toBe('delivering');
  });

  it(`keeps at most ${SOCKET_WINDOW} unacked messages in flight and moves the window on acks`, () => {
    const h = harness(ctx);
    const subscriber = new FakeSubscriber(1);
    h.router.attach('bob', subscriber);
    const sent = h.journal.transaction(() =>
      Array.from({ length: SOCKET_WINDOW + 2 }, (_, n) => h.send('alice', ['bob'], `m${n}`)),
    );
    expect(subscriber.pushed).toHaveLength(SOCKET_WINDOW);
    h.router.markRead(
      'bob',
      sent.slice(0, 2).map((m) => m.seq),
    );
    expect(subscriber.bodies.slice(SOCKET_WINDOW)).toEqual([`m${SOCKET_WINDOW}`, `m${SOCKET_WINDOW + 1}`]);
  });
});

describe('Router restart', () => {
  it('requeues in-flight deliveries from the journal and delivers them again', async () => {
    const h = harness(ctx);
    const subscriber = new FakeSubscriber(1);
    h.router.attach('bob', subscriber);
    const inFlight = h.send('alice', ['bob'], 'in flight');
    const queued = h.send('alice', ['carol'], 'queued');
    const done = h.send('alice', ['bob'], 'done');
    h.router.markRead('bob', [done.seq]);
    h.batcher.close();
    h.router.close();

    const { router, journal } = harness(ctx, [], ctx.temp.reopen());
    expect(router.unreadOf('bob')).toBe(1);
    expect(router.resume()).toBe(2);
    await settle();
    expect(journal.deliveryOf(inFlight.seq, 'bob')?.state).toBe('queued');
    expect(router.stateOf(queued.seq, 'carol').state).toBe('queued');
    expect(router.queued('bob')).toBe(1);

    const again = new FakeSubscriber(2);
    router.attach('bob', again);
    expect(again.bodies).toEqual(['in flight']);
    router.markRead('bob', [inFlight.seq]);
    await expect(router.waitForFinal(inFlight.seq, 10)).resolves.toBe(true);
  });

  it('hands resumed deliveries to a deliverer in journal order', () => {
    const h = harness(ctx);
    h.send('alice', ['bob'], 'first');
    h.send('alice', ['bob'], 'second');
    h.batcher.close();
    const deliverer = new FakeDeliverer(['bob']);
    const { router } = harness(ctx, [deliverer], ctx.temp.reopen());
    router.resume();
    expect(deliverer.attempts.map((a) => a.message.body)).toEqual(['first']);
  });

  it('settles a half-typed delivery by recovery, never by typing it again', async () => {
    const h = harness(ctx);
    const typed = h.send('alice', ['bob'], 'half typed');
    const lost = h.send('alice', ['carol'], 'lost');
    const at = '2026-01-01T00:00:00.000Z';
    h.journal.updateDelivery({ seq: typed.seq, recipient: 'bob', state: 'typing', reason: null, at });
    h.journal.updateDelivery({ seq: lost.seq, recipient: 'carol', state: 'submitted', reason: null, at });
    h.send('alice', ['bob'], 'next');
    h.batcher.close();
    const deliverer = new FakeDeliverer(['bob', 'carol']);
    const { router } = harness(ctx, [deliverer], ctx.temp.reopen());
    router.resume();
    await settle();
    expect(deliverer.recovered).toEqual([
      { recipient: 'bob', body: 'half typed' },
      { recipient: 'carol', body: 'lost' },
    ]);
    expect(router.stateOf(typed.seq, 'bob').state).toBe('delivered');
    expect(router.stateOf(lost.seq, 'carol').state).toBe('delivered');
    expect(deliverer.attempts.map((a) => a.message.body)).toEqual(['next']);
  });
});
