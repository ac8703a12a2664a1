// Terminal input normalized into a small union, and the bracketed-paste tracker that turns
// `ESC[200~ … ESC[201~` into one paste (so a pasted newline never sends the message).
import type { Key } from 'ink';

/** Named keys the dashboard binds. */
export type KeyName =
  | 'return'
  | 'tab'
  | 'backtab'
  | 'escape'
  | 'backspace'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown';

/** One normalized input event. */
export type KeyPress =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'paste'; readonly text: string }
  | { readonly kind: 'key'; readonly name: KeyName }
  | { readonly kind: 'ctrl'; readonly letter: string }
  | { readonly kind: 'paste-start' }
  | { readonly kind: 'paste-end' };

/** Largest paste kept; the rest is dropped (bodies are limited to 256 KiB anyway). */
export const MAX_PASTE_CHARS = 512 * 1024;

/** Maps ink's (input, key) pair to KeyPresses (several when keys arrived in one chunk). */
/**
 * Terminal replies as ink leaves them (ESC stripped): device attributes (`[?1;2c`, `[>0;276;0c`,
 * `[=…c`), a cursor position report (`[12;40R`), a mode report (`[?2026;2$y`), focus in/out.
 */
const TERMINAL_REPLY = /^\[(?:[?>=][\d;]*c|\d+;\d+R|\??[\d;]+\$y|[IO])$/;

export function toKeyPresses(input: string, key: Key): KeyPress[] {
  if (key.upArrow) return [{ kind: 'key', name: 'up' }];
  if (key.downArrow) return [{ kind: 'key', name: 'down' }];
  if (key.leftArrow) return [{ kind: 'key', name: 'left' }];
  if (key.rightArrow) return [{ kind: 'key', name: 'right' }];
  if (key.pageUp) return [{ kind: 'key', name: 'pageup' }];
  if (key.pageDown) return [{ kind: 'key', name: 'pagedown' }];
  if (key.home) return [{ kind: 'key', name: 'home' }];
  if (key.end) return [{ kind: 'key', name: 'end' }];
  if (key.return) return [{ kind: 'key', name: 'return' }];
  if (key.escape) return [{ kind: 'key', name: 'escape' }];
  if (key.tab) return [{ kind: 'key', name: key.shift ? 'backtab' : 'tab' }];
  // ink reports the Backspace key (DEL) as `delete`; both erase backwards here.
  if (key.backspace || key.delete) return [{ kind: 'key', name: 'backspace' }];
  // ink strips the ESC of unknown CSI sequences, which leaves the paste markers like this.
  if (input === '[200~') return [{ kind: 'paste-start' }];
  if (input === '[201~') return [{ kind: 'paste-end' }];
  // A terminal's answers to queries (tmux asks them when it attaches) reach the dashboard's
  // stdin like typed keys, also without their ESC; they must not land in the composer.
  if (TERMINAL_REPLY.test(input)) return [];
  if (key.ctrl && /^[a-z]$/.test(input)) return [{ kind: 'ctrl', letter: input }];
  if (key.meta) return [];
  return splitChunk(input);
}

// Keys typed quickly (or sent by tmux send-keys) can arrive as one chunk such as "hi\r". The
// terminal brackets real pastes (we enable that mode), so an unbracketed chunk is keystrokes.
function splitChunk(input: string): KeyPress[] {
  const presses: KeyPress[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') presses.push({ kind: 'text', text });
    text = '';
  };
  for (const char of input) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f)) {
      text += char;
      continue;
    }
    flush();
    if (char === '\r') presses.push({ kind: 'key', name: 'return' });
    else if (char === '\t') presses.push({ kind: 'key', name: 'tab' });
    else if (char === '\u007f' || char === '\b') presses.push({ kind: 'key', name: 'backspace' });
    else if (code >= 1 && code <= 26) presses.push({ kind: 'ctrl', letter: String.fromCharCode(code + 96) });
  }
  flush();
  return presses;
}

/** Collects everything between the paste markers into one `paste` press. */
export class PasteTracker {
  private collected: string | undefined;
  private afterReturn = false;

  /** True between the start and end markers. */
  get active(): boolean {
    return this.collected !== undefined;
  }

  /** Returns the press to act on now, or undefined while a paste is being collected. */
  feed(press: KeyPress): KeyPress | undefined {
    if (press.kind === 'paste-start') {
      this.collected = '';
      this.afterReturn = false;
      return undefined;
    }
    if (this.collected === undefined) return press.kind === 'paste-end' ? undefined : press;
    if (press.kind === 'paste-end') {
      const text = this.collected;
      this.collected = undefined;
      return text === '' ? undefined : { kind: 'paste', text };
    }
    // A pasted CR LF is one line break, not two.
    const lineFeed = press.kind === 'ctrl' && press.letter === 'j';
    const text = lineFeed && this.afterReturn ? '' : pasteText(press);
    this.afterReturn = press.kind === 'key' && press.name === 'return';
    this.collected = (this.collected + text).slice(0, MAX_PASTE_CHARS);
    return undefined;
  }
}

function pasteText(press: KeyPress): string {
  switch (press.kind) {
    case 'text':
    case 'paste':
      return press.text;
    case 'ctrl':
      return press.letter === 'j' ? '\n' : '';
    case 'key':
      return press.name === 'return' ? '\n' : press.name === 'tab' ? '\t' : '';
    default:
      return '';
  }
}
