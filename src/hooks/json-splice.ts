// Editing a JSON settings file as text: only the members and list elements that differ are
// rewritten, so everything else (inline arrays, spacing, key order, the user's own hooks)
// stays byte for byte as the user wrote it. The text must already have parsed as JSON.
import { isDeepStrictEqual } from 'node:util';

/** Where one object member or list element sits in the text. */
interface Span {
  key?: string;
  /** Start of the key (members) or of the value (elements). */
  start: number;
  valueStart: number;
  /** Just past the value. */
  end: number;
}

interface Container {
  open: number;
  close: number;
  items: Span[];
}

type Json = unknown;

/** `text` (which parses to `before`) edited so that it parses to `after`; `unit` is one indent. */
export function editJsonText(text: string, before: Json, after: Json, unit: string): string {
  const open = skipSpace(text, 0);
  return isObject(before) && isObject(after) ? editObject(text, open, before, after, 0, unit) : render(after, unit, 0);
}

function editObject(
  text: string,
  open: number,
  before: Record<string, Json>,
  after: Record<string, Json>,
  depth: number,
  unit: string,
): string {
  let out = text;
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (isDeepStrictEqual(before[key], after[key])) continue;
    const container = scan(out, open);
    const member = container.items.find((item) => item.key === key);
    if (after[key] === undefined) {
      out = member ? removeItem(out, container, member) : out;
    } else if (!member || before[key] === undefined) {
      out = appendItems(
        out,
        container,
        [`${JSON.stringify(key)}:${unit === '' ? '' : ' '}`],
        [after[key]],
        depth,
        unit,
      );
    } else {
      out = editValue(out, member, before[key], after[key], depth + 1, unit);
    }
  }
  return out;
}

function editValue(text: string, member: Span, before: Json, after: Json, depth: number, unit: string): string {
  if (isObject(before) && isObject(after)) return editObject(text, member.valueStart, before, after, depth, unit);
  if (Array.isArray(before) && Array.isArray(after)) {
    const edited = editArray(text, member.valueStart, before, after, depth, unit);
    if (edited !== undefined) return edited;
  }
  return text.slice(0, member.valueStart) + render(after, unit, depth) + text.slice(member.end);
}

// Appending elements or removing some; anything else is rewritten whole by the caller.
function editArray(text: string, open: number, before: Json[], after: Json[], depth: number, unit: string) {
  if (after.length > before.length && before.every((item, i) => isDeepStrictEqual(item, after[i]))) {
    const added = after.slice(before.length);
    return appendItems(
      text,
      scan(text, open),
      added.map(() => ''),
      added,
      depth,
      unit,
    );
  }
  const kept: number[] = [];
  let next = 0;
  for (let i = 0; i < before.length && next < after.length; i += 1) {
    if (isDeepStrictEqual(before[i], after[next])) {
      kept.push(i);
      next += 1;
    }
  }
  if (next !== after.length) return undefined;
  let out = text;
  for (let i = before.length - 1; i >= 0; i -= 1) {
    if (kept.includes(i)) continue;
    const container = scan(out, open);
    const item = container.items[i];
    if (item) out = removeItem(out, container, item);
  }
  return out;
}

function appendItems(
  text: string,
  container: Container,
  prefixes: string[],
  values: Json[],
  depth: number,
  unit: string,
): string {
  // A one-line container (`[{ … }]`) stays on one line; others get one item per line.
  const body = text.slice(container.open, container.close + 1);
  const multiline = unit !== '' && (body.includes('\n') || container.items.length === 0);
  const entries = values.map(
    (value, i) => (prefixes[i] ?? '') + (multiline ? render(value, unit, depth + 1) : JSON.stringify(value)),
  );
  const last = container.items.at(-1);
  if (last) {
    const separator = multiline ? `,\n${unit.repeat(depth + 1)}` : unit === '' ? ',' : ', ';
    return text.slice(0, last.end) + entries.map((entry) => separator + entry).join('') + text.slice(last.end);
  }
  if (!multiline) return text.slice(0, container.open + 1) + entries.join(',') + text.slice(container.close);
  const lines = entries.map((entry) => `\n${unit.repeat(depth + 1)}${entry}`).join(',');
  return `${text.slice(0, container.open + 1)}${lines}\n${unit.repeat(depth)}${text.slice(container.close)}`;
}

function removeItem(text: string, container: Container, item: Span): string {
  const index = container.items.indexOf(item);
  const previous = container.items[index - 1];
  if (previous) return text.slice(0, previous.end) + text.slice(item.end);
  const next = container.items[index + 1];
  if (next) return text.slice(0, item.start) + text.slice(next.start);
  return text.slice(0, container.open + 1) + text.slice(container.close);
}

// A value rendered at `depth`: continuation lines get that many indents.
function render(value: Json, unit: string, depth: number): string {
  const rendered = JSON.stringify(value, null, unit);
  return unit === '' ? rendered : rendered.replace(/\n/g, `\n${unit.repeat(depth)}`);
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scan(text: string, open: number): Container {
  const isObj = text[open] === '{';
  const closer = isObj ? '}' : ']';
  let at = skipSpace(text, open + 1);
  const items: Span[] = [];
  while (at < text.length && text[at] !== closer) {
    const start = at;
    let key: string | undefined;
    if (isObj) {
      const keyEnd = skipString(text, start);
      key = JSON.parse(text.slice(start, keyEnd)) as string;
      at = skipSpace(text, skipSpace(text, keyEnd) + 1); // past ':'
    }
    const end = skipValue(text, at);
    items.push({ ...(key === undefined ? {} : { key }), start, valueStart: at, end });
    at = skipSpace(text, end);
    if (text[at] === ',') at = skipSpace(text, at + 1);
  }
  return { open, close: at, items };
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  return at;
}

function skipString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return skipString(text, at);
  if (first !== '{' && first !== '[') {
    let i = at;
    while (i < text.length && !/[\s,}\]]/.test(text[i] ?? '')) i += 1;
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      i = skipString(text, i) - 1;
    } else if (char === '{' || char === '[') {
      depth += 1;
    } else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}
