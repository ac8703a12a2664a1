// Router deliverers, reads and waits: one attempt at a time per recipient, isolation between
// recipients, reads completing deliveries, and bounded waits for final states.
import { describe, expect, it } from 'vitest';
import { FakeDeliverer, FakeSubscriber, settle } from './fixtures.js';
import { REQUEUE_RETRY_MS } from '../../../src/relay/router.js';
import { harness, routerContext } from './router-harness.js';

const ctx = routerContext();

describe('Router deliverers', () => {
  it('delivers one message at a time per recipient, in order', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const one = h.send('alice', ['bob'], 'one');
    h.send('alice', ['bob'], 'two');
    expect(deliverer.for('bob').map((a) => a.message.body)).toEqual(['one']);

    deliverer.for('bob')[0]?.progress('typing');
    expect(h.router.stateOf(one.seq, 'bob').state).toBe('typing');
    deliverer.for('bob')[0]?.progress('submitted');
    deliverer.for('bob')[0]?.settle({ state: 'delivered' });
    await settle();
    expect(h.router.stateOf(one.seq, 'bob').state).toBe('delivered');
    expect(deliverer.for('bob').map((a) => a.message.body)).toEqual(['one', 'two']);
  });

  it('never lets a stuck recipient hold up another', async () => {
    const deliverer = new FakeDeliverer(['bob', 'carol']);
    const h = harness(ctx, [deliverer]);
    h.send('alice', ['bob'], 'stuck');
    h.send('alice', ['bob'], 'behind stuck');
    h.send('alice', ['carol'], 'c1');
    const c2 = h.send('alice', ['carol'], 'c2');
    deliverer.for('carol')[0]?.settle({ state: 'delivered' });
    await settle();
    deliverer.for('carol')[1]?.settle({ state: 'failed', reason: 'pane_gone' });
    await settle();
    expect(h.router.stateOf(c2.seq, 'carol')).toEqual({ state: 'failed', reason: 'pane_gone' });
    expect(deliverer.for('bob').map((a) => a.message.body)).toEqual(['stuck']);
    expect(h.router.queued('bob')).toBe(2);
    expect(h.router.queued('carol')).toBe(0);

    // A socket client for a third session is not held up either.
    const dave = new FakeSubscriber(1);
    h.router.attach('dave', dave);
    h.send('alice', ['dave'], 'd1');
    expect(dave.bodies).toEqual(['d1']);
  });

  it('marks a message the deliverer completed as read (a completed delivery sets read_at)', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const message = h.send('alice', ['bob']);
    expect(h.router.unreadOf('bob')).toBe(1);
    deliverer.for('bob')[0]?.settle({ state: 'delivered' });
    await settle();
    expect(h.stored(message, 'bob')?.read_at).not.toBeNull();
    expect(h.router.unreadOf('bob')).toBe(0);
  });

  it('leaves a failed delivery unread', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const message = h.send('alice', ['bob']);
    deliverer.for('bob')[0]?.settle({ state: 'failed', reason: 'pane_gone' });
    await settle();
    expect(h.stored(message, 'bob')).toEqual({ state: 'failed', read_at: null });
    expect(h.router.unreadOf('bob')).toBe(1);
  });

  it('requeues after a deliverer throws before typing and tries again soon without a poke', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const message = h.send('alice', ['bob']);
    deliverer.for('bob')[0]?.fail(new Error('tmux vanished'));
    await settle();
    expect(ctx.errors.map((e) => e.context)).toEqual(['deliver to bob']);
    expect(h.router.stateOf(message.seq, 'bob').state).toBe('queued');
    expect(deliverer.for('bob')).toHaveLength(1);
    ctx.clock.advance(REQUEUE_RETRY_MS);
    expect(deliverer.for('bob')).toHaveLength(2);
    // A fault that persists is retried less and less often, never in a hot loop.
    deliverer.for('bob')[1]?.fail(new Error('tmux vanished'));
    await settle();
    expect(ctx.clock.pending).toContain(2 * REQUEUE_RETRY_MS);
    ctx.clock.advance(2 * REQUEUE_RETRY_MS);
    expect(deliverer.for('bob')).toHaveLength(3);
  });

  it('never types again a message whose attempt threw after typing: recovery settles it', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const message = h.send('alice', ['bob'], 'pasted once');
    h.send('alice', ['bob'], 'next');
    const first = deliverer.for('bob')[0];
    first?.progress('typing');
    first?.fail(new Error('tmux paste-buffer was not answered: control client closed'));
    await settle();
    ctx.clock.advance(REQUEUE_RETRY_MS);
    await settle();
    expect(deliverer.recovered).toEqual([{ recipient: 'bob', body: 'pasted once' }]);
    expect(h.stored(message, 'bob')?.state).toBe('delivered');
    // The next attempt is the next message: the first one was never handed out again.
    expect(deliverer.for('bob').map((a) => a.message.body)).toEqual(['pasted once', 'next']);
  });

  it('prefers a subscribed socket client over the deliverer', () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const subscriber = new FakeSubscriber(1);
    h.router.attach('bob', subscriber);
    h.send('alice', ['bob'], 'to the socket');
    expect(subscriber.bodies).toEqual(['to the socket']);
    expect(deliverer.attempts).toHaveLength(0);
  });

  it('reports every state change to listeners and stops on removal', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const seen: string[] = [];
    const off = h.router.onChange((change) => seen.push(`${change.recipient}:${change.state}`));
    h.send('alice', ['bob']);
    deliverer.attempts[0]?.progress('typing');
    deliverer.attempts[0]?.settle({ state: 'delivered' });
    await settle();
    expect(seen).toEqual(['bob:typing', 'bob:delivered']);
    off();
    h.send('alice', ['bob']);
    deliverer.attempts[1]?.progress('typing');
    expect(seen).toHaveLength(2);
  });

  it('aborts running deliveries on close', () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    h.send('alice', ['bob']);
    h.router.close();
    expect(deliverer.attempts[0]?.signal.aborted).toBe(true);
  });
});

describe('Router reads', () => {
  it('completes a still-queued message that is fetched or acked, and takes it off the queue', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    h.send('alice', ['bob'], 'being typed');
    const queued = h.send('alice', ['bob'], 'read elsewhere');
    h.send('alice', ['bob'], 'after');
    h.router.markRead('bob', [queued.seq]);
    expect(h.stored(queued, 'bob')).toEqual({ state: 'delivered', read_at: expect.any(String) as string });
    expect(h.router.unreadOf('bob')).toBe(2);
    expect(h.router.queued('bob')).toBe(2);
    deliverer.attempts[0]?.settle({ state: 'delivered' });
    await settle();
    expect(deliverer.attempts.map((a) => a.message.body)).toEqual(['being typed', 'after']);
  });

  it('calls off a delivery still waiting for the pane when its message is read elsewhere', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const answered = h.send('alice', ['bob'], 'handed back by ask');
    h.send('alice', ['bob'], 'next');
    const waiting = deliverer.attempts[0];
    expect(waiting?.signal.aborted).toBe(false);
    h.router.markRead('bob', [answered.seq]);
    expect(waiting?.signal.aborted).toBe(true);
    expect(h.stored(answered, 'bob')).toEqual({ state: 'delivered', read_at: expect.any(String) as string });
    waiting?.settle({ state: 'queued', reason: 'interrupted' });
    await settle();
    expect(deliverer.attempts.map((a) => a.message.body)).toEqual(['handed back by ask', 'next']);
    expect(h.stored(answered, 'bob')?.state).toBe('delivered');
  });

  it('counts each read once and ignores messages that were never addressed to the reader', () => {
    const h = harness(ctx);
    const a = h.send('alice', ['bob']);
    const b = h.send('alice', ['carol']);
    h.router.markRead('bob', [a.seq, a.seq]);
    h.router.markRead('bob', [a.seq, b.seq]);
    expect(h.router.unreadOf('bob')).toBe(0);
    expect(h.router.unreadOf('carol')).toBe(1);
    expect(h.stored(b, 'carol')?.read_at).toBeNull();
  });

  it('counts a copy read twice while it is being typed only once, and again not when it completes', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const typing = h.send('alice', ['bob']);
    h.send('alice', ['bob']);
    deliverer.attempts[0]?.progress('typing');
    h.router.markRead('bob', [typing.seq]);
    h.router.markRead('bob', [typing.seq]);
    expect(h.router.unreadOf('bob')).toBe(1);
    expect(h.stored(typing, 'bob')?.state).toBe('typing');
    deliverer.attempts[0]?.settle({ state: 'delivered' });
    await settle();
    expect(h.router.unreadOf('bob')).toBe(1);
    expect(h.stored(typing, 'bob')?.state).toBe('delivered');
  });

  it('marks a finished but unread message read without changing its state', async () => {
    const deliverer = new FakeDeliverer(['bob']);
    const h = harness(ctx, [deliverer]);
    const message = h.send('alice', ['bob']);
    deliverer.attempts[0]?.settle({ state: 'failed', reason: 'pane_gone' });
    await settle();
    h.router.markRead('bob', [message.seq]);
    expect(h.stored(message, 'bob')).toEqual({ state: 'failed', read_at: expect.any(String) as string });
    expect(h.router.unreadOf('bob')).toBe(0);
  });
});

describe('Router waits', () => {
  it('resolves a wait once every recipient is final', async () => {
    const h = harness(ctx);
    const message = h.send('alice', ['bob', 'carol']);
    let done: boolean | undefined;
    void h.router.waitForFinal(message.seq, 5000).then((value) => (done = value));
    h.router.markRead('bob', [message.seq]);
    await settle();
    expect(done).toBeUndefined();
    h.router.markRead('carol', [message.seq]);
    await settle();
    expect(done).toBe(true);
    expect(ctx.clock.pending).toEqual([]);
    await expect(h.router.waitForFinal(message.seq, 5000)).resolves.toBe(true);
  });

  it('gives up after the timeout and leaves the delivery queued', async () => {
    const h = harness(ctx);
    const message = h.send('alice', ['bob']);
    const waiting = h.router.waitForFinal(message.seq, 300);
    ctx.clock.advance(299);
    await settle();
    ctx.clock.advance(1);
    await expect(waiting).resolves.toBe(false);
    expect(h.router.stateOf(message.seq, 'bob').state).toBe('queued');
    // A late completion after the timeout does not throw.
    h.router.markRead('bob', [message.seq]);
    expect(h.router.stateOf(message.seq, 'bob').state).toBe('delivered');
  });
});
