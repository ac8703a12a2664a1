import { describe, expect, it } from 'vitest';
import { splitUtf8 } from '../../../src/transports/tmux/utf8-chunks.js';

describe('splitUtf8', () => {
  it('splits ASCII exactly at the byte budget', () => {
    const chunks = splitUtf8('x'.repeat(2500));
    expect(chunks.map((chunk) => chunk.length)).toEqual([1024, 1024, 452]);
  });

  it('never cuts a character and never exceeds the budget', () => {
    const text = 'aé中😀'.repeat(700) + 'e\u0301';
    for (const budget of [4, 5, 7, 1024]) {
      const chunks = splitUtf8(text, budget);
      expect(chunks.join('')).toBe(text);
      for (const chunk of chunks) {
        expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(budget);
        expect(Buffer.from(chunk).toString()).toBe(chunk);
      }
    }
  });

  it('returns nothing for empty text and rejects a budget below one character', () => {
    expect(splitUtf8('')).toEqual([]);
    expect(() => splitUtf8('x', 3)).toThrow(RangeError);
  });
});
