// Reading and writing the agents' settings files: JSON(C) keeps its comments, key order,
// indentation and final newline; every write is atomic (temp file + rename) and keeps the file's mode.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { AgentmuxError } from '../core/errors.js';
import { writeFileAtomic } from '../core/safe-file.js';
import { isJsonObject, type JsonObject } from './hook-groups.js';
import { editJsonText } from './jsonc-edit.js';

/** A text file as found on disk (`undefined` text: it does not exist). */
export interface TextFile {
  path: string;
  text: string | undefined;
}

/** A JSON settings file, parsed, with the layout to write it back in. */
export interface JsonSettings {
  path: string;
  exists: boolean;
  /** The file as read ('' when missing). */
  text: string;
  value: JsonObject;
  indent: string;
  finalNewline: boolean;
}

/** The file's text, or undefined when it does not exist. */
export function readText(path: string): TextFile {
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, text: undefined };
    throw ioError(`read ${path}`, error);
  }
}

/**
 * Parses a JSON settings file (an object; comments and trailing commas allowed, as the agents
 * accept them); a missing file is an empty one. Refuses a file with a key given twice in one
 * object: which one the agent obeys is not ours to guess, and editing the other would report
 * "installed" for hooks that never run.
 */
export function readJsonSettings(path: string): JsonSettings {
  const { text } = readText(path);
  if (text === undefined || text.trim() === '') {
    return { path, exists: text !== undefined, text: text ?? '', value: {}, indent: '  ', finalNewline: true };
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const [first] = errors;
  if (first !== undefined) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new AgentmuxError(
      'validation_invalid_config',
      `${path} is not valid JSON (${printParseErrorCode(first.error)} at line ${line}, column ${column}); agentmux will not edit it`,
      {
        details: { file: path, line, column, error: printParseErrorCode(first.error) },
        hint: 'fix the syntax, or use --print and merge the snippet yourself',
      },
    );
  }
  if (!isJsonObject(value)) {
    throw new AgentmuxError('validation_invalid_config', `${path} does not hold a JSON object`, {
      details: { file: path },
    });
  }
  refuseDuplicateKeys(path, text);
  return { path, exists: true, text, value, indent: detectIndent(text), finalNewline: text.endsWith('\n') };
}

function refuseDuplicateKeys(path: string, text: string): void {
  const objects: Set<string>[] = [];
  let duplicate: { key: string; offset: number; path: (string | number)[] } | undefined;
  visit(text, {
    onObjectBegin: () => {
      objects.push(new Set());
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (key, offset, _length, _line, _column, pathSupplier) => {
      const seen = objects[objects.length - 1];
      if (seen === undefined || duplicate !== undefined) return;
      if (seen.has(key)) duplicate = { key, offset, path: [...pathSupplier(), key] };
      seen.add(key);
    },
  });
  if (duplicate === undefined) return;
  const { line } = lineAndColumn(text, duplicate.offset);
  const where = duplicate.path.join('.');
  throw new AgentmuxError(
    'validation_duplicate_key',
    `${path} gives the key \`${where}\` more than once (again at line ${line}); agentmux will not edit it`,
    {
      details: { file: path, key: where, line },
      hint: `merge the duplicate \`${duplicate.key}\` entries into one, then run hooks install again`,
    },
  );
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The text of `value` in the layout of `file`. */
export function renderJsonSettings(file: Pick<JsonSettings, 'indent' | 'finalNewline'>, value: JsonObject): string {
  return JSON.stringify(value, null, file.indent) + (file.finalNewline ? '\n' : '');
}

/** The file's text with only what differs in `next` rewritten (see jsonc-edit.ts). */
export function editedText(file: JsonSettings, next: JsonObject): string {
  if (file.text.trim() === '') return renderJsonSettings(file, next);
  return editJsonText(file.text, file.value, next, file.indent);
}

/**
 * Replaces `path` atomically, creating its directory; keeps an existing file's mode. A
 * symlinked settings file (dotfiles) stays a link: the file it points to is replaced.
 */
export function writeTextAtomic(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, text, { mode: 0o644, keepMode: true, followSymlink: true });
  } catch (error) {
    throw ioError(`write ${path}`, error);
  }
}

/** Removes `path` (used when only our entry was in it). */
export function removeFile(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch (error) {
    throw ioError(`remove ${path}`, error);
  }
}

// The indentation of the first indented line, so a rewritten file keeps its look.
function detectIndent(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.includes('\n')) return /^\{\s*\}$/.test(trimmed) ? '  ' : '';
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
}

function ioError(what: string, error: unknown): AgentmuxError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  return new AgentmuxError('runtime_io_failed', `cannot ${what}: ${code}`, { details: { code }, cause: error });
}
