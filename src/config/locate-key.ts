// Best-effort line numbers for schema problems: smol-toml returns plain objects without
// positions, so the text is scanned for table headers and `key =` lines instead.
import type { KeyPath } from './problems.js';

type Segment = string | number;

interface Entry {
  path: Segment[];
  line: number;
}

const HEADER = /^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$/;
const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const KEY_LINE = new RegExp(String.raw`^\s*(${KEY_PART}(?:\s*\.\s*${KEY_PART})*)\s*=`);

/** The 1-based line that best matches `path` (the key itself, else its nearest table or parent key). */
export function locateKeyLine(text: string, path: KeyPath): number | undefined {
  const target = path.map((part) => (typeof part === 'number' ? part : String(part)));
  let best: Entry | undefined;
  for (const entry of scanEntries(text)) {
    if (!isPrefix(entry.path, target)) continue;
    if (best === undefined || entry.path.length > best.path.length) best = entry;
  }
  return best === undefined || best.path.length === 0 ? undefined : best.line;
}

function scanEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  const arrayIndex = new Map<string, number>();
  let table: Segment[] = [];
  let inMultiline = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const wasInMultiline = inMultiline;
    if (countDelimiters(raw) % 2 === 1) inMultiline = !inMultiline;
    if (wasInMultiline) return;
    const header = HEADER.exec(raw);
    if (header !== null) {
      const isArray = header[1] === '[[';
      table = resolveHeader(splitKey(header[2] ?? ''), isArray, arrayIndex, entries, line);
      entries.push({ path: table, line });
      return;
    }
    const key = KEY_LINE.exec(raw);
    if (key !== null) entries.push({ path: [...table, ...splitKey(key[1] ?? '')], line });
  });
  return entries;
}

// `[[a.b]]` appends to the array at a.b (inside the current element of every enclosing
// array); `[a.b]` names a table inside those elements.
function resolveHeader(
  parts: string[],
  isArray: boolean,
  arrayIndex: Map<string, number>,
  entries: Entry[],
  line: number,
): Segment[] {
  const path: Segment[] = [];
  parts.forEach((part, position) => {
    path.push(part);
    const id = JSON.stringify(path);
    const last = position === parts.length - 1;
    if (last && isArray) {
      const next = (arrayIndex.get(id) ?? -1) + 1;
      if (next === 0) entries.push({ path: [...path], line });
      arrayIndex.set(id, next);
      for (const key of [...arrayIndex.keys()]) {
        if (key !== id && key.startsWith(id.slice(0, -1))) arrayIndex.delete(key);
      }
      path.push(next);
      return;
    }
    const current = arrayIndex.get(id);
    if (current !== undefined) path.push(current);
  });
  return path;
}

function splitKey(key: string): string[] {
  const parts: string[] = [];
  const pattern = new RegExp(`\\s*(${KEY_PART})\\s*(?:\\.|$)`, 'gy');
  for (const match of key.matchAll(pattern)) {
    const part = match[1] ?? '';
    parts.push(part.startsWith('"') || part.startsWith("'") ? part.slice(1, -1) : part);
  }
  return parts;
}

function countDelimiters(line: string): number {
  return (line.match(/"""|'''/g) ?? []).length;
}

function isPrefix(prefix: readonly Segment[], path: readonly Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}
