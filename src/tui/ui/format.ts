// How the dashboard writes states, times, ids and untrusted text: one place, so every panel
// agrees and message bodies can never move the cursor or change colours.
import type { DeliveryState, SessionView } from '../../core/protocol/index.js';
import { stateWords } from '../../core/session-words.js';

/** ink colour names used for states. */
export type Tone = 'green' | 'yellow' | 'red' | 'gray' | 'cyan' | 'magenta' | 'white';

/** A session state in words (DESIGN settled detail 3: idle is shown as "ready"). */
export function sessionStateWord(state: string): string {
  return state === 'idle' ? 'ready' : state === 'waiting_input' ? 'needs operator' : state;
}

/** A session's state with its queue depth, e.g. `busy · 2 queued` or `blocked: draft · 1 queued`. */
export function stateLabel(session: Pick<SessionView, 'state' | 'queued'> & { reason?: string | null }): string {
  const base = stateWords(session, sessionStateWord('waiting_input'));
  return session.queued > 0 ? `${base} · ${session.queued} queued` : base;
}

/** The colour of a session state. */
export function stateTone(state: SessionView['state']): Tone {
  switch (state) {
    case 'idle':
      return 'green';
    case 'busy':
      return 'yellow';
    case 'waiting_input':
      return 'magenta';
    case 'failed':
      return 'red';
    case 'offline':
      return 'gray';
    case 'starting':
      return 'cyan';
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

/** One glyph per delivery state, shown after each recipient. */
export function deliveryGlyph(state: DeliveryState): string {
  switch (state) {
    case 'queued':
      return '…';
    case 'delivering':
    case 'typing':
      return '⋯';
    case 'submitted':
      return '↵';
    case 'delivered':
      return '✓';
    case 'failed':
      return '✗';
    case 'expired':
      return '⌛';
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

/** The colour of a delivery state. */
export function deliveryTone(state: DeliveryState): Tone {
  if (state === 'delivered') return 'green';
  if (state === 'failed' || state === 'expired') return 'red';
  return 'yellow';
}

/** Local wall-clock time `HH:MM:SS` of an RFC 3339 timestamp. */
export function clockTime(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Characters of an id the dashboard shows: one abbreviation everywhere (rows, notices, composer). */
export const SHORT_ID_LENGTH = 6;

/**
 * The one abbreviation of a message id the dashboard shows, `#` and its last characters (ULIDs
 * differ at the end within one millisecond), so a notice or the composer names an id that the
 * message's row shows too.
 */
export function shortId(id: string): string {
  return `#${id.slice(-SHORT_ID_LENGTH)}`;
}

// eslint-disable-next-line no-control-regex -- untrusted text is neutralised here
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g;

/** One display line: tabs as spaces, every other control or bidi character removed. */
export function cleanLine(text: string): string {
  return text.replace(/\t/g, '  ').replace(UNSAFE, '');
}

/** The lines of a message body, cleaned. */
export function bodyLines(body: string): string[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n').map(cleanLine);
  while (lines.length > 1 && (lines.at(-1) ?? '').trim() === '') lines.pop();
  return lines;
}

/** Terminal columns of one code point: 0 for combining marks, 2 for wide and emoji. */
export function charWidth(codePoint: number): number {
  if (
    (codePoint >= 0x300 && codePoint <= 0x36f) ||
    codePoint === 0x200d ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f)
  )
    return 0;
  const wide =
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Terminal columns of a cleaned string. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** At most `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** Hard-wraps one cleaned line into rows of at most `width` columns. */
export function wrapLine(text: string, width: number): string[] {
  if (width <= 0) return [''];
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0) ?? 0);
    if (used + w > width) {
      rows.push(row);
      row = '';
      used = 0;
    }
    row += char;
    used += w;
  }
  rows.push(row);
  return rows;
}

/** Wraps at spaces into rows of at most `width` columns (long words are cut). */
export function wordWrap(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    const candidate = row === '' ? word : `${row} ${word}`;
    if (textWidth(candidate) <= width) {
      row = candidate;
      continue;
    }
    if (row !== '') rows.push(row);
    const pieces = wrapLine(word, width);
    row = pieces.pop() ?? '';
    rows.push(...pieces);
  }
  rows.push(row);
  return rows;
}

/** `text` padded with spaces to exactly `width` columns (truncated when longer). */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - textWidth(cut)));
}
