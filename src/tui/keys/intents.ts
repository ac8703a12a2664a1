// What a key means, as data: the key map produces these, and reduce-intent.ts handles each
// in one exhaustive switch.

/** Where keys go: a focused panel, or the open overlay. */
export type KeyMode =
  | 'composer'
  | 'stream'
  | 'sessions'
  | 'permissions'
  | 'help'
  | 'thread'
  | 'search'
  | 'look'
  | 'new-agent'
  | 'remove-agent';

/** Cursor movements inside a text field. */
export type CursorMove = 'left' | 'right' | 'up' | 'down' | 'home' | 'end';

/** Everything a key can ask for. */
export type Intent =
  | { readonly type: 'quit' }
  | { readonly type: 'help' }
  | { readonly type: 'close' }
  | { readonly type: 'focus-next' }
  | { readonly type: 'focus-prev' }
  | { readonly type: 'complete-or-next' }
  | { readonly type: 'insert'; readonly text: string; readonly focusComposer?: boolean }
  | { readonly type: 'newline' }
  | { readonly type: 'backspace' }
  | { readonly type: 'cursor'; readonly move: CursorMove }
  | { readonly type: 'clear' }
  | { readonly type: 'submit' }
  | { readonly type: 'select'; readonly delta: number }
  | { readonly type: 'select-edge'; readonly edge: 'first' | 'last' }
  | { readonly type: 'page'; readonly delta: 1 | -1 }
  | { readonly type: 'reply' }
  | { readonly type: 'open-thread' }
  | { readonly type: 'open-search' }
  | { readonly type: 'open-look' }
  | { readonly type: 'message-session' }
  | { readonly type: 'open-session' }
  | { readonly type: 'approve' }
  | { readonly type: 'deny' }
  | { readonly type: 'refresh' }
  | { readonly type: 'new-agent' }
  | { readonly type: 'remove-agent' }
  | { readonly type: 'confirm' };

/** The intent types, for tests that check every one is reachable. */
export type IntentType = Intent['type'];
