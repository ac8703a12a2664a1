// A multi-line text field (the composer, the search box): pure functions over {text, cursor}.
// The cursor is a UTF-16 index that never splits a surrogate pair.
import type { CursorMove } from '../keys/intents.js';

/** Text and the cursor position within it. */
export interface TextField {
  readonly text: string;
  readonly cursor: number;
}

/** An empty field. */
export const EMPTY_FIELD: TextField = { text: '', cursor: 0 };

/** A field holding `text` with the cursor at its end. */
export function fieldOf(text: string): TextField {
  return { text, cursor: text.length };
}

/** Inserts text at the cursor. */
export function insertText(field: TextField, text: string): TextField {
  return {
    text: field.text.slice(0, field.cursor) + text + field.text.slice(field.cursor),
    cursor: field.cursor + text.length,
  };
}

/** Deletes the character before the cursor. */
export function backspace(field: TextField): TextField {
  if (field.cursor === 0) return field;
  const start = previousIndex(field.text, field.cursor);
  return { text: field.text.slice(0, start) + field.text.slice(field.cursor), cursor: start };
}

/** Moves the cursor; up/down keep the column where the target line is long enough. */
export function moveCursor(field: TextField, move: CursorMove): TextField {
  const { text, cursor } = field;
  switch (move) {
    case 'left':
      return { text, cursor: cursor === 0 ? 0 : previousIndex(text, cursor) };
    case 'right':
      return { text, cursor: cursor >= text.length ? text.length : nextIndex(text, cursor) };
    case 'home':
      return { text, cursor: text.lastIndexOf('\n', cursor - 1) + 1 };
    case 'end': {
      const end = text.indexOf('\n', cursor);
      return { text, cursor: end === -1 ? text.length : end };
    }
    case 'up':
    case 'down': {
      const { line, column } = cursorPosition(field);
      const lines = text.split('\n');
      const target = move === 'up' ? line - 1 : line + 1;
      if (target < 0 || target >= lines.length) return field;
      let start = 0;
      for (let i = 0; i < target; i += 1) start += (lines[i] ?? '').length + 1;
      return { text, cursor: start + Math.min(column, (lines[target] ?? '').length) };
    }
    default: {
      const unreachable: never = move;
      return unreachable;
    }
  }
}

/** Line and column (UTF-16 units) of the cursor. */
export function cursorPosition(field: TextField): { line: number; column: number } {
  const before = field.text.slice(0, field.cursor);
  const line = before.split('\n').length - 1;
  return { line, column: field.cursor - (before.lastIndexOf('\n') + 1) };
}

function previousIndex(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xdc00 && code <= 0xdfff && index >= 2 ? index - 2 : index - 1;
}

function nextIndex(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff && index + 2 <= text.length ? index + 2 : index + 1;
}
