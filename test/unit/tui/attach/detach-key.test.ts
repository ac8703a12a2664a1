import { describe, expect, it } from 'vitest';
import { findDetachKey, parseDetachKey, unfinishedCsiAt } from '../../../../src/tui/attach/detach-key.js';

const cq = parseDetachKey('C-q');

describe('parseDetachKey', () => {
  it('reads C-<letter> and M-<letter>, and nothing Node cannot spot alone', () => {
    expect(cq?.raw).toBe('\u0011');
    expect(parseDetachKey('C-Q')?.raw).toBe('\u0011');
    expect(parseDetachKey('M-x')?.raw).toBe('\u001bx');
    expect(parseDetachKey('F12')).toBeUndefined();
    expect(parseDetachKey('C-M-q')).toBeUndefined();
  });
});

describe('findDetachKey', () => {
  it.each([
    ['\u0011', 0, 1],
    ['ab\u0011cd', 2, 1],
    ['x\u001b[113;5u', 1, 8],
    ['\u001b[81;5u', 0, 7],
    ['\u001b[113;133u', 0, 10],
    ['\u001b[113;69u', 0, 9],
    ['\u001b[113;5:1u', 0, 10],
    ['\u001b[27;5;113~', 0, 11],
    ['\u001b[27;133;113~', 0, 13],
  ])('finds C-q in %j at %i (length %i)', (text, index, length) => {
    if (!cq) throw new Error('C-q not parsed');
    expect(findDetachKey(text, cq)).toEqual({ index, length });
  });

  it.each([
    'q',
    'Q',
    '\u001b[113u',
    '\u001b[113;1u',
    '\u001b[113;6u',
    '\u001b[113;3u',
    '\u001b[27;6;113~',
    '\u001b[119;5u',
  ])('ignores %j', (text) => {
    if (!cq) throw new Error('C-q not parsed');
    expect(findDetachKey(text, cq)).toBeUndefined();
  });

  it('skips a near miss and finds the key after it', () => {
    if (!cq) throw new Error('C-q not parsed');
    expect(findDetachKey('\u001b[113;6uzz\u001b[113;5u', cq)).toEqual({ index: 10, length: 8 });
  });

  it('finds Alt keys in both encodings', () => {
    const mx = parseDetachKey('M-x');
    if (!mx) throw new Error('M-x not parsed');
    expect(findDetachKey('a\u001bx', mx)).toEqual({ index: 1, length: 2 });
    expect(findDetachKey('\u001b[120;3u', mx)).toEqual({ index: 0, length: 8 });
    expect(findDetachKey('\u001b[120;5u', mx)).toBeUndefined();
  });
});

describe('unfinishedCsiAt', () => {
  it('finds a CSI sequence cut short at the end, and nothing else', () => {
    expect(unfinishedCsiAt('ab\u001b[113;')).toBe(2);
    expect(unfinishedCsiAt('\u001b[')).toBe(0);
    expect(unfinishedCsiAt('\u001b[113;5u')).toBeUndefined();
    expect(unfinishedCsiAt('ab\u001b')).toBeUndefined();
    expect(unfinishedCsiAt('plain')).toBeUndefined();
  });
});
