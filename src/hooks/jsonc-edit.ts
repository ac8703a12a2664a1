// Editing a JSON (or JSONC: comments, trailing commas) settings file as text with
// jsonc-parser: only the members and list elements that differ are rewritten, so everything
// else (comments, inline arrays, spacing, key order, the user's own hooks) stays byte for byte
// as the user wrote it.
import { isDeepStrictEqual } from 'node:util';
import {
  applyEdits,
  findNodeAtLocation,
  format,
  modify,
  parseTree,
  type FormattingOptions,
  type JSONPath,
  type Node as JsonNode,
} from 'jsonc-parser';

type Json = unknown;

/** `text` (which parses to `before`) edited so that it parses to `after`; `indent` is one level. */
export function editJsonText(text: string, before: Json, after: Json, indent: string): string {
  const formatting: FormattingOptions = {
    insertSpaces: !indent.includes('\t'),
    tabSize: indent.includes('\t') ? 1 : Math.max(indent.length, 1),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
  return editAt(text, [], before, after, formatting);
}

function editAt(text: string, path: JSONPath, before: Json, after: Json, formatting: FormattingOptions): string {
  if (isDeepStrictEqual(before, after)) return text;
  if (isObject(before) && isObject(after)) {
    let out = text;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      out =
        key in after
          ? editAt(out, [...path, key], before[key], after[key], formatting)
          : set(out, [...path, key], undefined, formatting);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) return editArray(text, path, before, after, formatting);
  return set(text, path, after, formatting);
}

// Lists change by our entries being appended, removed or edited in place; anything else is
// rewritten whole.
function editArray(text: string, path: JSONPath, before: Json[], after: Json[], formatting: FormattingOptions): string {
  let out = text;
  if (before.length === after.length) {
    before.forEach((item, i) => {
      out = editAt(out, [...path, i], item, after[i], formatting);
    });
    return out;
  }
  const kept = subsequenceIndexes(before, after);
  if (kept !== undefined) {
    for (let i = before.length - 1; i >= 0; i -= 1) if (!kept.has(i)) out = removeItem(out, path, i);
    return out;
  }
  if (after.length > before.length && before.every((item, i) => isDeepStrictEqual(item, after[i]))) {
    for (const item of after.slice(before.length)) out = set(out, [...path, -1], item, formatting, true);
    return out;
  }
  return set(out, path, after, formatting);
}

// The indexes of `before` that make up `after` in order, when `after` is `before` minus some items.
function subsequenceIndexes(before: Json[], after: Json[]): Set<number> | undefined {
  if (after.length >= before.length) return undefined;
  const kept = new Set<number>();
  let j = 0;
  for (let i = 0; i < before.length && j < after.length; i += 1) {
    if (isDeepStrictEqual(before[i], after[j])) {
      kept.add(i);
      j += 1;
    }
  }
  return j === after.length ? kept : undefined;
}

// One change through jsonc-parser, formatting only the text it inserts (its own formatting
// re-lays whole lines, which would reflow the user's inline values next to ours). Inside a
// container written on one line the insertion stays on that line, compact.
function set(text: string, path: JSONPath, value: Json, formatting: FormattingOptions, insert = false): string {
  const multiline = containerIsMultiline(text, path);
  let out = text;
  const edits = modify(text, path, value, { isArrayInsertion: insert }).sort((a, b) => b.offset - a.offset);
  for (const edit of edits) {
    out = applyEdits(out, [edit]);
    if (!multiline || edit.content === '') continue;
    out = applyEdits(out, format(out, { offset: edit.offset, length: edit.content.length }, formatting));
  }
  return out;
}

// jsonc-parser removes a last list item by assuming two characters before the `]` (`\n]`),
// which eats a `}` of `[{…},{…}]`: take the item and the separator before it exactly.
function removeItem(text: string, path: JSONPath, index: number): string {
  const items = findNodeAtLocation(parse(text), path)?.children ?? [];
  const item = items[index];
  if (item === undefined) return text;
  const previous = items[index - 1];
  const next = items[index + 1];
  if (next !== undefined) return text.slice(0, item.offset) + text.slice(next.offset);
  if (previous !== undefined)
    return text.slice(0, previous.offset + previous.length) + text.slice(item.offset + item.length);
  return text.slice(0, item.offset) + text.slice(item.offset + item.length);
}

function parse(text: string): JsonNode {
  return parseTree(text, [], { allowTrailingComma: true }) ?? EMPTY;
}

function containerIsMultiline(text: string, path: JSONPath): boolean {
  if (path.length === 0) return true;
  const container = findNodeAtLocation(parse(text), path.slice(0, -1));
  if (container === undefined) return true;
  return /[\r\n]/.test(text.slice(container.offset, container.offset + container.length));
}

const EMPTY: JsonNode = { type: 'object', offset: 0, length: 0 };

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
