// Reads one TOML config file and validates it, collecting every problem instead of stopping.
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';

import { makeProblem } from './problems.js';
import type { ConfigProblem } from './problems.js';
import { configErrorMap, issuesToProblems } from './zod-issues.js';

/** The outcome of reading one file: the parsed value when it is valid, and all problems. */
export interface ParsedFile<T> {
  file: string;
  /** True when the file does not exist (not itself a problem; callers decide). */
  missing: boolean;
  /** The file's text, when it could be read. */
  text?: string;
  /** The raw TOML document, when it parsed. */
  data?: Record<string, unknown>;
  /** The validated value, when there were no problems. */
  value?: T;
  problems: ConfigProblem[];
}

/** Reads, parses and validates `file` against `schema`. */
export function readConfigFile<T>(file: string, schema: z.ZodType<T>): ParsedFile<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return { file, missing: true, problems: [] };
    const reason = error instanceof Error ? error.message : String(error);
    return {
      file,
      missing: false,
      problems: [makeProblem(file, 'error', `cannot read: ${reason}`, { hint: 'check the permissions of the file' })],
    };
  }
  return parseConfigText(file, text, schema);
}

/** Parses and validates already-read text (tests and `check` share this path). */
export function parseConfigText<T>(file: string, text: string, schema: z.ZodType<T>): ParsedFile<T> {
  let data: Record<string, unknown>;
  try {
    data = parse(text);
  } catch (error) {
    return { file, missing: false, text, problems: [syntaxProblem(file, error)] };
  }
  // jitless: zod otherwise compiles each object schema into a parser (new Function) on its
  // first parse, which costs more than the one parse a file gets (~60 ms off every relay start).
  const result = schema.safeParse(data, { error: configErrorMap, jitless: true });
  if (result.success) return { file, missing: false, text, data, value: result.data, problems: [] };
  return { file, missing: false, text, data, problems: issuesToProblems(file, text, result.error.issues, schema) };
}

function syntaxProblem(file: string, error: unknown): ConfigProblem {
  if (error instanceof TomlError) {
    const summary = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    return makeProblem(file, 'error', `invalid TOML: ${summary} (line ${error.line}, column ${error.column})`, {
      line: error.line,
      hint: 'fix the TOML syntax; strings need quotes, tables are [name], arrays of tables are [[name]]',
    });
  }
  return makeProblem(file, 'error', `invalid TOML: ${error instanceof Error ? error.message : String(error)}`);
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
