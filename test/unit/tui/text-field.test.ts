import { describe, expect, it } from 'vitest';
import {
  backspace,
  cursorPosition,
  EMPTY_FIELD,
  fieldOf,
  insertText,
  moveCursor,
} from '../../../src/tui/ui/text-field.js';

describe('text field', () => {
  it('inserts at the cursor and erases before it', () => {
    let field = insertText(EMPTY_FIELD, 'helo');
    field = moveCursor(field, 'left');
    field = insertText(field, 'l');
    expect(field).toEqual({ text: 'hello', cursor: 4 });
    expect(backspace(field)).toEqual({ text: 'helo', cursor: 3 });
    expect(backspace(EMPTY_FIELD)).toBe(EMPTY_FIELD);
  });

  it('never splits a surrogate pair', () => {
    const field = fieldOf('a😀');
    expect(moveCursor(field, 'left').cursor).toBe(1);
    expect(backspace(field)).toEqual({ text: 'a', cursor: 1 });
  });

  it('moves between lines keeping the column', () => {
    const field = { text: 'first line\nab\nthird line', cursor: 8 };
    const down = moveCursor(field, 'down');
    expect(cursorPosition(down)).toEqual({ line: 1, column: 2 });
    const again = moveCursor(down, 'down');
    expect(cursorPosition(again)).toEqual({ line: 2, column: 2 });
    expect(moveCursor(again, 'down')).toBe(again);
    expect(cursorPosition(moveCursor(field, 'end'))).toEqual({ line: 0, column: 10 });
    expect(moveCursor({ text: 'ab\ncd', cursor: 4 }, 'home').cursor).toBe(3);
  });
});
