// Finds the program a coder's command line runs, so `check` can warn about one not installed.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { parse } from 'shell-quote';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The program of a shell command line: its first word after any `NAME=value` assignments. */
export function commandProgram(command: string): string | undefined {
  // Variables stay unexpanded so a `$VAR` program is recognised as unknowable, not as empty.
  const words = parse(command, (name) => `$${name}`);
  for (const word of words) {
    if (typeof word !== 'string') return undefined;
    if (ASSIGNMENT.test(word)) continue;
    return word === '' ? undefined : word;
  }
  return undefined;
}

/** Where `program` resolves on PATH (or itself when it has a slash); undefined when not found. */
export function findProgram(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (program.includes('/')) return isExecutable(program) ? program : undefined;
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory === '' || !isAbsolute(directory)) continue;
    const candidate = join(directory, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
