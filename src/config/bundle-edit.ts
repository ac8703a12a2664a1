// Adds and removes `[[sessions]]` blocks of a bundle file as text, so the user's comments and
// layout survive (smol-toml cannot write comments back). Every edit is re-parsed and checked
// to have changed exactly the one session it meant to.
import { parse } from 'smol-toml';

import { AgentmuxError } from '../core/errors.js';
import { tomlLines, type TomlValue } from './render-toml.js';

const SESSIONS_HEADER = /^[ \t]*\[\[[ \t]*sessions[ \t]*\]\][ \t]*(#.*)?$/;
const ANY_HEADER = /^[ \t]*\[/;
const COMMENT_OR_BLANK = /^[ \t]*(#.*)?$/;

/** A new session as the file writes it (kebab-case keys). */
export type SessionEntry = { readonly id: string } & { readonly [key: string]: TomlValue | undefined };

/** The ids of the `[[sessions]]` in a bundle file's text. */
export function sessionIdsOf(text: string, file = 'bundle'): string[] {
  const parsed = parseToml(text, file) as { sessions?: { id?: unknown }[] };
  return (parsed.sessions ?? []).map((session) => String(session.id));
}

/** `text` with one more `[[sessions]]` block at its end; refuses an id already there. */
export function appendSession(text: string, entry: SessionEntry, file = 'bundle'): string {
  const before = sessionIdsOf(text, file);
  if (before.includes(entry.id)) {
    throw new AgentmuxError('validation_session_exists', `session ${entry.id} is already in ${file}`, {
      details: { session: entry.id, file },
    });
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const trimmed = text.replace(/(\r?\n)*$/, '');
  const block = ['[[sessions]]', ...tomlLines(entry)].join(eol);
  const next = `${trimmed}${trimmed === '' ? '' : `${eol}${eol}`}${block}${eol}`;
  expectIds(next, [...before, entry.id], file);
  return next;
}

/**
 * `text` without the `[[sessions]]` block of `id`: its header, keys and the comment lines
 * directly above its header. Comments just before the next table stay with that table.
 */
export function removeSession(text: string, id: string, file = 'bundle'): string {
  const before = sessionIdsOf(text, file);
  if (!before.includes(id)) {
    throw new AgentmuxError('validation_unknown_session', `session ${id} is not in ${file}`, {
      details: { session: id, file },
    });
  }
  const lines = text.split('\n');
  for (const block of sessionBlocks(lines)) {
    const blockText = lines.slice(block.header, block.end).join('\n');
    const [only] = sessionIdsOf(blockText, file);
    if (only !== id) continue;
    const next = [...lines.slice(0, block.start), ...lines.slice(block.end)];
    // Two blank lines meeting where the block was become one.
    const at = block.start;
    if (at > 0 && at < next.length && next[at - 1]?.trim() === '' && next[at]?.trim() === '') next.splice(at, 1);
    const result = next.join('\n');
    expectIds(
      result,
      before.filter((other) => other !== id),
      file,
    );
    return result;
  }
  throw new AgentmuxError('validation_invalid_config', `cannot find the [[sessions]] block of ${id} in ${file}`, {
    details: { session: id, file },
    hint: 'remove the session by hand',
  });
}

interface Block {
  /** First line removed (leading comments). */
  start: number;
  header: number;
  /** One past the last line removed. */
  end: number;
}

function sessionBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (let header = 0; header < lines.length; header += 1) {
    if (!SESSIONS_HEADER.test(stripCr(lines[header]))) continue;
    let start = header;
    while (start > 0 && /^[ \t]*#/.test(stripCr(lines[start - 1]))) start -= 1;
    let end = header + 1;
    while (end < lines.length && !ANY_HEADER.test(stripCr(lines[end]))) end += 1;
    // Comments (and blanks) right above the next header belong to it; after the last block,
    // comments set off by a blank line belong to the file.
    let kept = end;
    while (kept > header + 1 && COMMENT_OR_BLANK.test(stripCr(lines[kept - 1]))) kept -= 1;
    if (end < lines.length) end = kept;
    else {
      let attached = kept;
      while (attached < end && /^[ \t]*#/.test(stripCr(lines[attached]))) attached += 1;
      if (lines.slice(attached, end).some((line) => /^[ \t]*#/.test(stripCr(line)))) end = attached;
    }
    blocks.push({ start, header, end });
  }
  return blocks;
}

function stripCr(line: string | undefined): string {
  return (line ?? '').replace(/\r$/, '');
}

function expectIds(text: string, expected: string[], file: string): void {
  const actual = sessionIdsOf(text, file);
  if (actual.join('\n') !== expected.join('\n')) {
    throw new AgentmuxError('validation_invalid_config', `editing ${file} as text would change more than one session`, {
      details: { file, expected, actual },
      hint: 'edit the file by hand',
    });
  }
}

function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (error) {
    throw new AgentmuxError('validation_invalid_config', `${file} is not valid TOML`, {
      details: { file, error: error instanceof Error ? error.message : String(error) },
    });
  }
}
