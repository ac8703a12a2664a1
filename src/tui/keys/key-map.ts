// The key map as data: each binding names its modes, keys, footer label and intent. keyToIntent
// is a pure function of (press, context), so every binding is testable without rendering.
import type { Intent, KeyMode } from './intents.js';
import type { KeyPress } from './key-press.js';

/** A key as written in the table: a KeyName, `C-x` for Ctrl, or one literal character. */
export type KeySpec = string;

/** What a binding may depend on besides the mode. */
export interface KeyContext {
  readonly mode: KeyMode;
  /** The composer holds no text (so `?` opens help instead of typing). */
  readonly draftEmpty: boolean;
}

/** One row of the key map. */
export interface Binding {
  readonly modes: readonly KeyMode[] | 'all';
  readonly keys: readonly KeySpec[];
  readonly intent: Intent;
  /** Footer/help label; bindings without one are listed only in the help screen's key column. */
  readonly label?: string;
  /** Shown in the footer when there is room; 1 is kept longest, then 2, then 3. */
  readonly footer?: 1 | 2 | 3;
  readonly when?: (context: KeyContext) => boolean;
}

const LISTS: readonly KeyMode[] = ['stream', 'sessions', 'permissions'];
const EDIT: readonly KeyMode[] = ['composer', 'search', 'new-agent'];
const SCROLLERS: readonly KeyMode[] = ['thread', 'look', 'help'];

/** Every binding, in the order the footer and help list them. */
export const BINDINGS: readonly Binding[] = [
  { modes: ['composer'], keys: ['return'], intent: { type: 'submit' }, label: 'send', footer: 1 },
  { modes: ['search'], keys: ['return'], intent: { type: 'submit' }, label: 'search', footer: 2 },
  { modes: ['composer'], keys: ['C-j'], intent: { type: 'newline' }, label: 'newline', footer: 1 },
  { modes: ['composer'], keys: ['tab'], intent: { type: 'complete-or-next' }, label: 'complete', footer: 2 },
  { modes: [...LISTS], keys: ['tab'], intent: { type: 'focus-next' }, label: 'next panel', footer: 2 },
  { modes: ['composer', ...LISTS], keys: ['backtab'], intent: { type: 'focus-prev' }, label: 'prev panel' },
  { modes: ['stream'], keys: ['return', 'r'], intent: { type: 'reply' }, label: 'reply', footer: 2 },
  { modes: ['composer'], keys: ['C-r'], intent: { type: 'reply' }, label: 'reply', footer: 2 },
  { modes: ['thread'], keys: ['r'], intent: { type: 'reply' }, label: 'reply', footer: 2 },
  { modes: ['stream'], keys: ['t'], intent: { type: 'open-thread' }, label: 'thread', footer: 3 },
  { modes: ['composer'], keys: ['C-t'], intent: { type: 'open-thread' }, label: 'thread', footer: 3 },
  { modes: ['search'], keys: ['tab', 'C-t'], intent: { type: 'open-thread' }, label: 'thread', footer: 3 },
  { modes: ['stream', 'sessions'], keys: ['/'], intent: { type: 'open-search' }, label: 'search', footer: 2 },
  { modes: ['composer'], keys: ['C-f'], intent: { type: 'open-search' }, label: 'search', footer: 2 },
  { modes: ['sessions'], keys: ['return', 'o'], intent: { type: 'open-session' }, label: 'open', footer: 1 },
  { modes: ['sessions'], keys: ['m'], intent: { type: 'message-session' }, label: 'message', footer: 1 },
  { modes: ['sessions'], keys: ['l'], intent: { type: 'open-look' }, label: 'look', footer: 2 },
  { modes: ['sessions'], keys: ['n'], intent: { type: 'new-agent' }, label: 'new agent', footer: 2 },
  { modes: ['sessions'], keys: ['x'], intent: { type: 'remove-agent' }, label: 'remove', footer: 3 },
  { modes: ['new-agent'], keys: ['return'], intent: { type: 'submit' }, label: 'create', footer: 1 },
  { modes: ['remove-agent'], keys: ['y', 'return'], intent: { type: 'confirm' }, label: 'remove', footer: 1 },
  { modes: ['remove-agent'], keys: ['n', 'q'], intent: { type: 'close' } },
  { modes: ['composer'], keys: ['C-l'], intent: { type: 'open-look' }, label: 'look', footer: 2 },
  { modes: ['permissions'], keys: ['a', 'y'], intent: { type: 'approve' }, label: 'approve', footer: 1 },
  { modes: ['permissions'], keys: ['d', 'n'], intent: { type: 'deny' }, label: 'deny', footer: 1 },
  { modes: ['look'], keys: ['r'], intent: { type: 'refresh' }, label: 'refresh', footer: 2 },
  { modes: [...LISTS, ...SCROLLERS], keys: ['up', 'k'], intent: { type: 'select', delta: -1 }, label: 'up' },
  { modes: [...LISTS, ...SCROLLERS], keys: ['down', 'j'], intent: { type: 'select', delta: 1 }, label: 'down' },
  { modes: ['search'], keys: ['up'], intent: { type: 'select', delta: -1 }, label: 'up' },
  { modes: ['search'], keys: ['down'], intent: { type: 'select', delta: 1 }, label: 'down' },
  { modes: ['new-agent'], keys: ['up'], intent: { type: 'select', delta: -1 }, label: 'coder', footer: 2 },
  { modes: ['new-agent'], keys: ['down'], intent: { type: 'select', delta: 1 } },
  {
    modes: ['stream', ...SCROLLERS],
    keys: ['home', 'g'],
    intent: { type: 'select-edge', edge: 'first' },
    label: 'oldest',
  },
  {
    modes: ['stream', ...SCROLLERS],
    keys: ['end', 'G'],
    intent: { type: 'select-edge', edge: 'last' },
    label: 'newest',
  },
  {
    modes: ['composer', 'stream', ...SCROLLERS],
    keys: ['pageup'],
    intent: { type: 'page', delta: -1 },
    label: 'page up',
  },
  {
    modes: ['composer', 'stream', ...SCROLLERS],
    keys: ['pagedown'],
    intent: { type: 'page', delta: 1 },
    label: 'page down',
  },
  { modes: [...EDIT], keys: ['backspace'], intent: { type: 'backspace' } },
  { modes: [...EDIT], keys: ['left'], intent: { type: 'cursor', move: 'left' } },
  { modes: [...EDIT], keys: ['right'], intent: { type: 'cursor', move: 'right' } },
  { modes: ['composer'], keys: ['up'], intent: { type: 'cursor', move: 'up' } },
  { modes: ['composer'], keys: ['down'], intent: { type: 'cursor', move: 'down' } },
  { modes: [...EDIT], keys: ['home', 'C-a'], intent: { type: 'cursor', move: 'home' } },
  { modes: [...EDIT], keys: ['end', 'C-e'], intent: { type: 'cursor', move: 'end' } },
  { modes: [...EDIT], keys: ['C-u'], intent: { type: 'clear' }, label: 'clear' },
  {
    modes: ['composer'],
    keys: ['?'],
    intent: { type: 'help' },
    label: 'help',
    footer: 1,
    when: (context) => context.draftEmpty,
  },
  { modes: [...LISTS], keys: ['?'], intent: { type: 'help' }, label: 'help', footer: 1 },
  { modes: ['help'], keys: ['?', 'q', 'escape', 'return'], intent: { type: 'close' }, label: 'close', footer: 1 },
  { modes: ['thread', 'look', 'search'], keys: ['escape'], intent: { type: 'close' }, label: 'close', footer: 1 },
  {
    modes: ['new-agent', 'remove-agent'],
    keys: ['escape'],
    intent: { type: 'close' },
    label: 'cancel',
    footer: 1,
  },
  { modes: ['thread', 'look'], keys: ['q'], intent: { type: 'close' } },
  { modes: ['composer', ...LISTS], keys: ['escape'], intent: { type: 'close' }, label: 'back' },
  { modes: 'all', keys: ['C-c'], intent: { type: 'quit' }, label: 'quit', footer: 1 },
];

/** True when `press` is the key `spec` names. */
export function matches(press: KeyPress, spec: KeySpec): boolean {
  switch (press.kind) {
    case 'key':
      return press.name === spec;
    case 'ctrl':
      return spec === `C-${press.letter}`;
    case 'text':
      return press.text === spec;
    default:
      return false;
  }
}

/** The intent of a key in this context, or undefined when the key does nothing there. */
export function keyToIntent(press: KeyPress, context: KeyContext): Intent | undefined {
  for (const binding of BINDINGS) {
    if (binding.modes !== 'all' && !binding.modes.includes(context.mode)) continue;
    if (binding.when && !binding.when(context)) continue;
    if (binding.keys.some((spec) => matches(press, spec))) return binding.intent;
  }
  if (press.kind === 'text' || press.kind === 'paste') {
    if (EDIT.includes(context.mode)) return { type: 'insert', text: press.text };
    // Typing while a list has focus starts a message, like in a chat client.
    if (LISTS.includes(context.mode)) return { type: 'insert', text: press.text, focusComposer: true };
  }
  return undefined;
}

/** The bindings of one mode, for the footer (`footer` only) or the help screen (all labelled). */
export function bindingsFor(mode: KeyMode, footerOnly: boolean): Binding[] {
  return BINDINGS.filter(
    (binding) =>
      (binding.modes === 'all' || binding.modes.includes(mode)) &&
      binding.label !== undefined &&
      (!footerOnly || binding.footer !== undefined),
  );
}

/** How a key spec is written for people (`C-r` → `^R`, `return` → `Enter`). */
export function keyLabel(spec: KeySpec): string {
  const names: Record<string, string> = {
    return: 'Enter',
    tab: 'Tab',
    backtab: 'S-Tab',
    escape: 'Esc',
    backspace: 'Bksp',
    up: '↑',
    down: '↓',
    left: '←',
    right: '→',
    home: 'Home',
    end: 'End',
    pageup: 'PgUp',
    pagedown: 'PgDn',
  };
  if (spec.startsWith('C-') && spec.length === 3) return `^${spec.slice(2).toUpperCase()}`;
  return names[spec] ?? spec;
}
