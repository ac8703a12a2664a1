import { describe, expect, it } from 'vitest';
import { MESSAGE_ID_PATTERN, createUlidFactory, pooledRandom } from '../../../src/core/ids.js';

describe('createUlidFactory', () => {
  it('draws its randomness from a pool, not one crypto call per character', () => {
    let fills = 0;
    let clock = 1_700_000_000_000;
    // A new millisecond for every id, so each one needs 16 fresh random characters.
    const ids = createUlidFactory(
      () => (clock += 1),
      (bytes) => {
        fills += 1;
        globalThis.crypto.getRandomValues(bytes);
      },
    );
    const made = Array.from({ length: 200 }, () => ids.next());
    // 200 ids × 16 characters = 3,200 bytes: one 4 KiB pool.
    expect(fills).toBe(1);
    for (const id of made) expect(id).toMatch(MESSAGE_ID_PATTERN);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it('stays monotonic within one millisecond', () => {
    const ids = createUlidFactory(() => 1_700_000_000_000);
    const made = Array.from({ length: 50 }, () => ids.next());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });
});

describe('pooledRandom', () => {
  it('refills when the pool is used up and maps bytes to [0, 1)', () => {
    let fills = 0;
    const random = pooledRandom((bytes) => {
      fills += 1;
      bytes.fill(255);
    });
    const values = Array.from({ length: 4097 }, () => random());
    expect(fills).toBe(2);
    expect(values.every((v) => v === 255 / 256)).toBe(true);
  });
});
