// Reading and writing the agents' settings files: JSON keeps its key order, indentation and
// final newline; every write is atomic (temp file + rename) and keeps the file's mode.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AgentmuxError } from '../core/errors.js';
import { isJsonObject, type JsonObject } from './hook-groups.js';
import { editJsonText } from './json-splice.js';

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

/** Parses a JSON settings file (an object); a missing file is an empty one. */
export function readJsonSettings(path: string): JsonSettings {
  const { text } = readText(path);
  if (text === undefined || text.trim() === '') {
    return { path, exists: text !== undefined, text: text ?? '', value: {}, indent: '  ', finalNewline: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AgentmuxError('validation_invalid_config', `${path} is not plain JSON; agentmux will not edit it`, {
      details: { file: path, error: error instanceof Error ? error.message : String(error) },
      hint: 'remove comments or fix the syntax, or use --print and merge the snippet yourself',
    });
  }
  if (!isJsonObject(value)) {
    throw new AgentmuxError('validation_invalid_config', `${path} does not hold a JSON object`, {
      details: { file: path },
    });
  }
  return { path, exists: true, text, value, indent: detectIndent(text), finalNewline: text.endsWith('\n') };
}

/** The text of `value` in the layout of `file`. */
export function renderJsonSettings(file: Pick<JsonSettings, 'indent' | 'finalNewline'>, value: JsonObject): string {
  return JSON.stringify(value, null, file.indent) + (file.finalNewline ? '\n' : '');
}

/** The file's text with only what differs in `next` rewritten (see json-splice.ts). */
export function editedText(file: JsonSettings, next: JsonObject): string {
  if (file.text.trim() === '') return renderJsonSettings(file, next);
  return editJsonText(file.text, file.value, next, file.indent);
}

/** Replaces `path` atomically, creating its directory; keeps an existing file's mode. */
export function writeTextAtomic(path: string, text: string): void {
  const temporary = `${path}.agentmux-${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const mode = existingMode(path);
    writeFileSync(temporary, text, { mode: mode ?? 0o644 });
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
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

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
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
