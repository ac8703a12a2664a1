import { describe, expect, it } from 'vitest';
import { StoreBatch, emptyStore } from '../../../src/tui/state/message-store.js';
import { message } from './fixtures.js';

describe('message store', () => {
  it('keeps at most `capacity` messages, dropping the oldest', () => {
    const batch = new StoreBatch(emptyStore(3));
    const messages = Array.from({ length: 5 }, () => message());
    for (const m of messages) batch.upsert(m, undefined, 'live');
    const store = batch.finish();
    expect(store.ids).toEqual(messages.slice(2).map((m) => m.id));
    expect(store.byId.size).toBe(3);
  });

  it('orders by journal sequence when history arrives after live events', () => {
    const older = message();
    const newer = message();
    const batch = new StoreBatch(emptyStore());
    batch.upsert(newer, undefined, 'live');
    batch.upsert(older, undefined, 'merge');
    expect(batch.finish().ids).toEqual([older.id, newer.id]);
  });

  it('starts every recipient queued and applies live updates in order', () => {
    const m = message({ to: ['alice', 'bob'], cc: ['carol'] });
    const batch = new StoreBatch(emptyStore());
    batch.upsert(m, undefined, 'live');
    batch.setDelivery(m.id, 'alice', { state: 'typing', reason: null }, 'live');
    batch.setDelivery(m.id, 'alice', { state: 'queued', reason: null }, 'live');
    const entry = batch.finish().byId.get(m.id);
    expect(entry?.deliveries).toEqual({
      alice: { state: 'queued', reason: null },
      bob: { state: 'queued', reason: null },
      carol: { state: 'queued', reason: null },
    });
  });

  it('never moves a delivery backwards when merging a snapshot, and never changes a final state', () => {
    const m = message({ to: ['alice'] });
    const batch = new StoreBatch(emptyStore());
    batch.upsert(m, { alice: { state: 'submitted', reason: null } }, 'live');
    batch.setDelivery(m.id, 'alice', { state: 'queued', reason: null }, 'merge');
    expect(batch.finish().byId.get(m.id)?.deliveries.alice?.state).toBe('submitted');
    const final = new StoreBatch(emptyStore());
    final.upsert(m, { alice: { state: 'failed', reason: 'pane_gone' } }, 'live');
    final.setDelivery(m.id, 'alice', { state: 'delivered', reason: null }, 'live');
    expect(final.finish().byId.get(m.id)?.deliveries.alice).toEqual({ state: 'failed', reason: 'pane_gone' });
  });

  it('returns the same store when a batch changes nothing', () => {
    const store = emptyStore();
    const batch = new StoreBatch(store);
    batch.setDelivery('unknown', 'alice', { state: 'delivered', reason: null }, 'live');
    expect(batch.finish()).toBe(store);
  });
});
