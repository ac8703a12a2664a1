// Recognises the detach key in raw terminal input, whatever encoding the terminal uses: the
// plain byte, CSI-u (kitty keys) and xterm modifyOtherKeys, with Caps/Num Lock bits masked.

/** A detach key Node can spot in the input stream, from a tmux key name such as `C-q`. */
export interface DetachKey {
  /** The tmux key name it came from. */
  readonly name: string;
  /** What the plain (legacy) encoding sends; written alone so the server binding fires. */
  readonly raw: string;
  /** The modifier bits a CSI-u or modifyOtherKeys encoding must carry (lock bits ignored). */
  readonly modifierBits: number;
  /** Matches every encoding of the key; group 1 or 2 holds the encoded modifier. */
  readonly pattern: RegExp;
}

/** Where the key starts in a chunk and how long its encoding is. */
export interface DetachKeyMatch {
  readonly index: number;
  readonly length: number;
}

const CTRL = 4;
const ALT = 2;
// Caps Lock (64) and Num Lock (128) ride along in CSI-u modifiers (ESC[113;133u).
const LOCK_BITS = 64 | 128;

/**
 * Parses `C-<letter>` or `M-<letter>`; undefined for keys Node cannot spot alone (F12, C-M-x),
 * which then rely on the private server's `bind-key -n` binding only.
 */
export function parseDetachKey(name: string): DetachKey | undefined {
  const match = /^([CM])-([A-Za-z])$/.exec(name);
  if (!match) return undefined;
  const ctrl = match[1] === 'C';
  const lower = (match[2] ?? '').toLowerCase();
  const code = lower.charCodeAt(0);
  const codes = `${code}|${code - 32}`;
  const raw = ctrl ? String.fromCharCode(code & 0x1f) : `\u001b${lower}`;
  const legacy = ctrl ? `\\u${(code & 0x1f).toString(16).padStart(4, '0')}` : `\\u001b${lower}`;
  const source = [legacy, `\\u001b\\[(?:${codes})(?::\\d*)*;(\\d+)(?::\\d+)?u`, `\\u001b\\[27;(\\d+);(?:${codes})~`];
  return { name, raw, modifierBits: ctrl ? CTRL : ALT, pattern: new RegExp(source.join('|'), 'g') };
}

/** The first encoding of the key in `text` (a string, or bytes read as latin1), if any. */
export function findDetachKey(text: string, key: DetachKey): DetachKeyMatch | undefined {
  const pattern = new RegExp(key.pattern.source, 'g');
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const modifier = m[1] ?? m[2];
    if (modifier === undefined || ((Number(modifier) - 1) & ~LOCK_BITS) === key.modifierBits)
      return { index: m.index, length: m[0].length };
  }
  return undefined;
}

/** Where an unfinished CSI sequence (ESC [ digits ; :) ends `text`, if it does: maybe a split key. */
export function unfinishedCsiAt(text: string): number | undefined {
  const start = text.lastIndexOf('\u001b');
  if (start < 0 || text[start + 1] !== '[') return undefined;
  for (let i = start + 2; i < text.length; i++) if (!/[0-9;:]/.test(text[i] ?? '')) return undefined;
  return start;
}
