import { describe, expect, it } from 'vitest';
import type { IntentType, KeyMode } from '../../../src/tui/keys/intents.js';
import { BINDINGS, bindingsFor, keyLabel, keyToIntent } from '../../../src/tui/keys/key-map.js';
import type { KeyPress } from '../../../src/tui/keys/key-press.js';
import { fittingHints } from '../../../src/tui/components/Footer.js';

const text = (t: string): KeyPress => ({ kind: 'text', text: t });
const named = (name: Extract<KeyPress, { kind: 'key' }>['name']): KeyPress => ({ kind: 'key', name });
const ctrl = (letter: string): KeyPress => ({ kind: 'ctrl', letter });
const at = (mode: KeyMode, draftEmpty = true) => ({ mode, draftEmpty });

describe('keyToIntent', () => {
  it('sends with Enter and adds a line with Ctrl-J in the composer', () => {
    expect(keyToIntent(named('return'), at('composer'))).toEqual({ type: 'submit' });
    expect(keyToIntent(ctrl('j'), at('composer'))).toEqual({ type: 'newline' });
  });

  it('types letters in the composer but binds them in lists', () => {
    expect(keyToIntent(text('t'), at('composer'))).toEqual({ type: 'insert', text: 't' });
    expect(keyToIntent(text('t'), at('stream'))).toEqual({ type: 'open-thread' });
    expect(keyToIntent(text('l'), at('sessions'))).toEqual({ type: 'open-look' });
    expect(keyToIntent(text('a'), at('permissions'))).toEqual({ type: 'approve' });
    expect(keyToIntent(text('d'), at('permissions'))).toEqual({ type: 'deny' });
  });

  it('starts a message when an unbound letter is typed in a list', () => {
    expect(keyToIntent(text('h'), at('stream'))).toEqual({ type: 'insert', text: 'h', focusComposer: true });
  });

  it('opens help with ? only while the draft is empty', () => {
    expect(keyToIntent(text('?'), at('composer', true))).toEqual({ type: 'help' });
    expect(keyToIntent(text('?'), at('composer', false))).toEqual({ type: 'insert', text: '?' });
    expect(keyToIntent(text('?'), at('help'))).toEqual({ type: 'close' });
  });

  it('types j and k into the search box instead of moving the selection', () => {
    expect(keyToIntent(text('j'), at('search'))).toEqual({ type: 'insert', text: 'j' });
    expect(keyToIntent(named('down'), at('search'))).toEqual({ type: 'select', delta: 1 });
    expect(keyToIntent(text('j'), at('thread'))).toEqual({ type: 'select', delta: 1 });
  });

  it('inserts a paste as text (its newlines never send)', () => {
    expect(keyToIntent({ kind: 'paste', text: 'a\nb' }, at('composer'))).toEqual({ type: 'insert', text: 'a\nb' });
  });

  it('quits with Ctrl-C everywhere', () => {
    for (const mode of ['composer', 'stream', 'sessions', 'permissions', 'help', 'thread', 'search', 'look'] as const) {
      expect(keyToIntent(ctrl('c'), at(mode))).toEqual({ type: 'quit' });
    }
  });

  it('reaches every intent type from some key', () => {
    const reachable = new Set<IntentType>(BINDINGS.map((binding) => binding.intent.type));
    reachable.add('insert');
    const all: IntentType[] = [
      'quit',
      'help',
      'close',
      'focus-next',
      'focus-prev',
      'complete-or-next',
      'insert',
      'newline',
      'backspace',
      'cursor',
      'clear',
      'submit',
      'select',
      'select-edge',
      'page',
      'reply',
      'open-thread',
      'open-search',
      'open-look',
      'message-session',
      'open-session',
      'approve',
      'deny',
      'refresh',
      'new-agent',
      'remove-agent',
      'confirm',
    ];
    expect([...reachable].sort()).toEqual([...all].sort());
  });
});

describe('footer hints', () => {
  it('label keys for people', () => {
    expect(keyLabel('C-r')).toBe('^R');
    expect(keyLabel('return')).toBe('Enter');
    expect(keyLabel('?')).toBe('?');
  });

  it('keep the most important hints within 80 columns', () => {
    const hints = fittingHints('composer', 80);
    const width = hints.map((h) => `${h.key} ${h.label}`).join(' · ').length;
    expect(width).toBeLessThanOrEqual(80);
    expect(hints.map((h) => h.label)).toEqual(expect.arrayContaining(['send', 'newline', 'help', 'quit']));
  });

  it('list every labelled binding of a mode in the help screen', () => {
    const labels = bindingsFor('stream', false).map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['reply', 'thread', 'search', 'up', 'down', 'quit']));
  });
});
