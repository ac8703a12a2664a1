// The message LRU: bounded memory, journal fallback on a miss.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageCache } from '../../../src/relay/message-cache.js';
import { journalMessage, openTempJournal, type TempJournal } from './fixtures.js';

let temp: TempJournal;

beforeEach(() => {
  temp = openTempJournal();
});

afterEach(() => {
  vi.restoreAllMocks();
  temp.cleanup();
});

describe('MessageCache', () => {
  it('serves recent messages from memory and evicts the least recently used', () => {
    const [a, b, c] = [1, 2, 3].map(() => journalMessage(temp.journal, { sender: 'alice', to: ['bob'] }));
    if (!a || !b || !c) throw new Error('fixture');
    const cache = new MessageCache(temp.journal, 2);
    const reads = vi.spyOn(temp.journal, 'getMessage');
    cache.put(a);
    cache.put(b);
    expect(cache.get(a.seq)).toBe(a); // a is now the most recent
    cache.put(c); // evicts b
    expect(reads).not.toHaveBeenCalled();
    expect(cache.get(c.seq)).toBe(c);
    expect(cache.get(b.seq)).toEqual(b);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(cache.get(b.seq)).toEqual(b);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('returns undefined for a sequence the journal does not have', () => {
    const cache = new MessageCache(temp.journal);
    expect(cache.get(12345)).toBeUndefined();
  });
});

describe('MessageCache memory', () => {
  it('keeps large bodies within its byte bound, evicting the oldest (they reload from the journal)', () => {
    const big = 'x'.repeat(250 * 1024);
    const messages = Array.from({ length: 8 }, () =>
      journalMessage(temp.journal, { sender: 'alice', to: ['bob'], body: big }),
    );
    const cache = new MessageCache(temp.journal, 2000, 1024 * 1024);
    for (const message of messages) cache.put(message);
    expect(cache.heldBytes).toBeLessThanOrEqual(1024 * 1024);
    const reads = vi.spyOn(temp.journal, 'getMessage');
    expect(cache.get(messages[7]?.seq ?? 0)?.body).toBe(big);
    expect(reads).not.toHaveBeenCalled();
    expect(cache.get(messages[0]?.seq ?? 0)?.body).toBe(big);
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
