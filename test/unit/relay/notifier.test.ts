// Notification numbering, fan-out and the bounded replay ring.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Notifier, type Notice } from '../../../src/relay/notifier.js';

describe('Notifier', () => {
  it('numbers notices in order, stamps seq into params and fans out to every sink', () => {
    const notifier = new Notifier();
    const a: Notice[] = [];
    const b: Notice[] = [];
    notifier.subscribe((n) => a.push(n));
    const off = notifier.subscribe((n) => b.push(n));
    const first = notifier.publish('delivery.updated', { state: 'queued' }, { kind: 'events' });
    off();
    notifier.publish('inbox.updated', { unread: 1 }, { kind: 'session', session: 'bob' }, ['alice']);
    expect(first).toMatchObject({ seq: 1, params: { state: 'queued', seq: 1 }, alsoFor: [] });
    expect(a.map((n) => [n.seq, n.method])).toEqual([
      [1, 'delivery.updated'],
      [2, 'inbox.updated'],
    ]);
    expect(b).toHaveLength(1);
    expect(notifier.current).toBe(2);
  });

  it('shares the sequence with stamped, unreplayed notifications', () => {
    const notifier = new Notifier();
    notifier.publish('a', {}, { kind: 'events' });
    expect(notifier.stamp()).toBe(2);
    notifier.publish('b', {}, { kind: 'events' });
    expect(notifier.since(0).map((n) => n.seq)).toEqual([1, 3]);
  });

  it('replays what came after `since` and forgets beyond its capacity', () => {
    const notifier = new Notifier(3);
    for (let i = 0; i < 5; i += 1) notifier.publish('m', { i }, { kind: 'events' });
    expect(notifier.since(0).map((n) => n.seq)).toEqual([3, 4, 5]);
    expect(notifier.since(4).map((n) => n.seq)).toEqual([5]);
    expect(notifier.since(5)).toEqual([]);
    expect(notifier.since(99)).toEqual([]);
  });
});

describe('Notifier memory bound', () => {
  it('keeps replay memory under its byte budget when bodies are large', () => {
    const notifier = new Notifier(10_000, 4 * 1024 * 1024);
    const body = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 100; i += 1) notifier.publish('message.created', { message: { body } }, { kind: 'events' });
    const kept = notifier.since(0);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(8); // 4 MiB / (2 bytes per char × 256 Ki chars)
    expect(kept.at(-1)?.seq).toBe(100); // the newest are kept
  });
});

// A full collection on demand: a notice the ring forgot must be collectable.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('Notifier releases what it forgets', () => {
  it('keeps no reference to a notice evicted from the replay ring', async () => {
    const notifier = new Notifier(2);
    // Created in a helper so no local of this test holds the notice itself.
    const forgotten = ((): WeakRef<Notice> => {
      return new WeakRef(
        notifier.publish('message.created', { message: { body: 'x'.repeat(1024) } }, { kind: 'events' }),
      );
    })();
    for (let i = 0; i < 3; i += 1) notifier.publish('delivery.updated', { i }, { kind: 'events' });
    expect(notifier.since(0).map((n) => n.seq)).toEqual([3, 4]);
    // WeakRef targets stay alive until the current job ends: collect on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(forgotten.deref()).toBeUndefined();
  });
});
