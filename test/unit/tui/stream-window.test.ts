import { describe, expect, it } from 'vitest';
import { anchorFor, rowsOfBody, visibleRange } from '../../../src/tui/ui/stream-window.js';
import { message, storeOf } from './fixtures.js';

describe('stream window', () => {
  it('counts a header and at most two body rows per message', () => {
    expect(rowsOfBody('one')).toBe(2);
    expect(rowsOfBody('one\ntwo\nthree\nfour')).toBe(3);
    expect(rowsOfBody('')).toBe(1);
  });

  it('shows the newest messages that fit when following', () => {
    const store = storeOf(Array.from({ length: 10 }, () => message({ body: 'x' })));
    expect(visibleRange(store, null, 7)).toEqual({ top: 7, bottom: 9, below: 0 });
  });

  it('moves the window only as far as needed to show the selection', () => {
    const messages = Array.from({ length: 10 }, () => message({ body: 'x' }));
    const store = storeOf(messages);
    const id = (i: number): string => messages[i]?.id ?? '';
    // Window shows 7..9; selecting 8 keeps it, selecting 2 puts 2 at the top (2..4).
    expect(anchorFor(store, id(8), null, 6)).toBe(id(9));
    expect(anchorFor(store, id(2), id(9), 6)).toBe(id(4));
    expect(anchorFor(store, id(5), id(4), 6)).toBe(id(5));
    expect(anchorFor(store, null, id(4), 6)).toBeNull();
  });

  it('reports how many newer messages are below an anchored window', () => {
    const messages = Array.from({ length: 5 }, () => message({ body: 'x' }));
    const store = storeOf(messages);
    expect(visibleRange(store, messages[1]?.id ?? null, 4)).toEqual({ top: 0, bottom: 1, below: 3 });
  });
});
