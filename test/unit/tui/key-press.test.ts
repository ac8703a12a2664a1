import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { PasteTracker, toKeyPresses, type KeyPress } from '../../../src/tui/keys/key-press.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (flags: Partial<Key>): Key => ({ ...NO_KEY, ...flags });

describe('toKeyPresses', () => {
  it('names the keys the dashboard binds', () => {
    expect(toKeyPresses('', key({ return: true }))).toEqual([{ kind: 'key', name: 'return' }]);
    expect(toKeyPresses('', key({ tab: true, shift: true }))).toEqual([{ kind: 'key', name: 'backtab' }]);
    expect(toKeyPresses('', key({ escape: true, meta: true }))).toEqual([{ kind: 'key', name: 'escape' }]);
    expect(toKeyPresses('', key({ pageUp: true }))).toEqual([{ kind: 'key', name: 'pageup' }]);
  });

  it('treats ink’s delete (the Backspace key sends DEL) as backspace', () => {
    expect(toKeyPresses('', key({ delete: true }))).toEqual([{ kind: 'key', name: 'backspace' }]);
    expect(toKeyPresses('', key({ backspace: true }))).toEqual([{ kind: 'key', name: 'backspace' }]);
  });

  it('tells Ctrl-J (a line feed) from Enter', () => {
    expect(toKeyPresses('\n', NO_KEY)).toEqual([{ kind: 'ctrl', letter: 'j' }]);
    expect(toKeyPresses('r', key({ ctrl: true }))).toEqual([{ kind: 'ctrl', letter: 'r' }]);
  });

  it('recognises the bracketed-paste markers ink leaves without their ESC', () => {
    expect(toKeyPresses('[200~', NO_KEY)).toEqual([{ kind: 'paste-start' }]);
    expect(toKeyPresses('[201~', NO_KEY)).toEqual([{ kind: 'paste-end' }]);
  });

  it('drops terminal replies (device attributes, cursor and mode reports, focus) ink leaves without their ESC', () => {
    for (const reply of ['[>0;276;0c', '[?1;2c', '[?62;22c', '[=0c', '[12;40R', '[?2026;2$y', '[I', '[O'])
      expect(toKeyPresses(reply, NO_KEY), reply).toEqual([]);
    // Text that merely starts like one is still typed.
    expect(toKeyPresses('[I am here', NO_KEY)).not.toEqual([]);
  });

  it('splits keys that arrived in one chunk (fast typing, tmux send-keys)', () => {
    expect(toKeyPresses('@ali\thi there\r', NO_KEY)).toEqual([
      { kind: 'text', text: '@ali' },
      { kind: 'key', name: 'tab' },
      { kind: 'text', text: 'hi there' },
      { kind: 'key', name: 'return' },
    ]);
    expect(toKeyPresses('ab\u007f\u0015', NO_KEY)).toEqual([
      { kind: 'text', text: 'ab' },
      { kind: 'key', name: 'backspace' },
      { kind: 'ctrl', letter: 'u' },
    ]);
  });

  it('ignores Alt combinations and empty input', () => {
    expect(toKeyPresses('x', key({ meta: true }))).toEqual([]);
    expect(toKeyPresses('', NO_KEY)).toEqual([]);
  });
});

describe('PasteTracker', () => {
  it('collects everything between the markers into one paste, Enter included', () => {
    const tracker = new PasteTracker();
    const presses: KeyPress[] = [
      { kind: 'paste-start' },
      { kind: 'text', text: 'first line' },
      { kind: 'key', name: 'return' },
      { kind: 'paste', text: 'second\nthird' },
      { kind: 'paste-end' },
    ];
    const out = presses.map((press) => tracker.feed(press));
    expect(out.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(out[4]).toEqual({ kind: 'paste', text: 'first line\nsecond\nthird' });
    expect(tracker.active).toBe(false);
  });

  it('makes a pasted CR LF one line break', () => {
    const tracker = new PasteTracker();
    const presses = [
      { kind: 'paste-start' },
      ...toKeyPresses('a\r\nb\rc', NO_KEY),
      { kind: 'paste-end' },
    ] as KeyPress[];
    expect(presses.map((press) => tracker.feed(press)).at(-1)).toEqual({ kind: 'paste', text: 'a\nb\nc' });
  });

  it('passes keys through outside a paste and swallows a stray end marker', () => {
    const tracker = new PasteTracker();
    expect(tracker.feed({ kind: 'key', name: 'return' })).toEqual({ kind: 'key', name: 'return' });
    expect(tracker.feed({ kind: 'paste-end' })).toBeUndefined();
  });
});
