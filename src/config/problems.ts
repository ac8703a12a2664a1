// One shape for everything wrong with a configuration: `check` lists them all, loaders throw
// the first error as an AgentmuxError with the same file, key and line.
import { AgentmuxError, ERROR_CATALOGUE } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';

/** One finding of `agentmux check`, pointing at a file and, when known, a key and line. */
export interface ConfigProblem {
  file: string;
  /** Dotted key path such as `coders[1].tmux.busy-regex`. */
  key?: string;
  /** 1-based line of the key (best effort). */
  line?: number;
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

/** A problem together with the error code a loader throws for it. */
export interface CodedProblem extends ConfigProblem {
  code: ErrorCode;
}

/** The path of a key inside a TOML document, as zod reports it. */
export type KeyPath = readonly PropertyKey[];

/** Renders a key path as `a.b[2].c`; undefined for the document root. */
export function formatKey(path: KeyPath): string | undefined {
  let key = '';
  for (const part of path) {
    if (typeof part === 'number') key += `[${part}]`;
    else key += key === '' ? String(part) : `.${String(part)}`;
  }
  return key === '' ? undefined : key;
}

/** Builds a problem, leaving out an unknown key or line. */
export function makeProblem(
  file: string,
  severity: ConfigProblem['severity'],
  message: string,
  options: { key?: string | undefined; line?: number | undefined; hint?: string | undefined } = {},
): ConfigProblem {
  const problem: ConfigProblem = {
    file,
    severity,
    message,
    hint: options.hint ?? ERROR_CATALOGUE.validation_invalid_config,
  };
  if (options.key !== undefined) problem.key = options.key;
  if (options.line !== undefined) problem.line = options.line;
  return problem;
}

/** The error a loader throws for a problem: `<file>: <key>: <problem>`. */
export function problemError(problem: ConfigProblem, code: ErrorCode = 'validation_invalid_config'): AgentmuxError {
  const where = problem.key === undefined ? problem.file : `${problem.file}: ${problem.key}`;
  return new AgentmuxError(code, `${where}: ${problem.message}`, {
    details: { file: problem.file, key: problem.key, line: problem.line },
    hint: problem.hint,
  });
}

/**
 * Throws when any problem is an error: with the first one's code, file, key and hint, and a
 * message that lists every error, so one run shows all that must be fixed.
 */
export function throwFirstError(problems: readonly (ConfigProblem | CodedProblem)[]): void {
  const errors = problems.filter((problem) => problem.severity === 'error');
  const first = errors[0];
  if (first === undefined) return;
  const error = problemError(first, 'code' in first ? first.code : 'validation_invalid_config');
  if (errors.length === 1) throw error;
  const lines = errors.map((problem) => {
    const where = problem.key === undefined ? problem.file : `${problem.file}: ${problem.key}`;
    const line = problem.line === undefined ? '' : ` (line ${problem.line})`;
    return `  ${where}${line}: ${problem.message} — ${problem.hint}`;
  });
  throw new AgentmuxError(error.code, `${errors.length} problems in the configuration:\n${lines.join('\n')}`, {
    details: {
      ...error.details,
      problems: errors.map(({ file, key, line, message, hint }) => ({ file, key, line, message, hint })),
    },
    hint: 'fix each one, then run agentmux check',
  });
}
