// Turns zod issues into config problems with TOML-flavoured wording, a hint and a line.
import type { z } from 'zod';

import { closestName } from '../core/closest-name.js';
import { ERROR_CATALOGUE } from '../core/errors.js';
import { locateKeyLine } from './locate-key.js';
import { formatKey, makeProblem } from './problems.js';
import type { ConfigProblem } from './problems.js';
import { knownKeysAt } from './schema-keys.js';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** Per-parse error map: TOML words (table, key) instead of JavaScript ones. */
export function configErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `expected ${expectedName(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} entries`;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return `must be at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
}

/**
 * One problem per zod issue (one per key for unknown-key issues), in line order, with lines found
 * in `text`. With the `schema`, an unknown key names the known key it most likely misspells, and a
 * required key reported missing only because of that typo is not reported twice.
 */
export function issuesToProblems(
  file: string,
  text: string,
  issues: readonly Issue[],
  schema?: z.ZodType,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // `<parent path>\0<known key>` for every unknown key that looks like a misspelling of it.
  const misspelt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = schema === undefined ? [] : knownKeysAt(schema, issue.path);
    for (const name of issue.keys) {
      const path = [...issue.path, name];
      const meant = closestName(
        name,
        known.filter((key) => !issue.keys.includes(key)),
      );
      if (meant !== undefined) misspelt.add(pathId([...issue.path, meant]));
      problems.push(
        makeProblem(file, 'error', `unknown key "${name}"${meant === undefined ? '' : ` (did you mean "${meant}"?)`}`, {
          key: formatKey(path),
          line: locateKeyLine(text, path),
          hint: unknownKeyHint(name, meant, known),
        }),
      );
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    if (issue.code === 'invalid_type' && issue.message === 'is required' && misspelt.has(pathId(issue.path))) continue;
    problems.push(
      makeProblem(file, 'error', issue.message, {
        key: formatKey(issue.path),
        line: locateKeyLine(text, issue.path),
        hint: issueHint(issue),
      }),
    );
  }
  // Stable sort: problems without a line (missing keys at the top level) come first.
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function pathId(path: readonly PropertyKey[]): string {
  return path.map(String).join('\0');
}

function issueHint(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message === 'is required'
        ? 'add the key; the starter files written on first run show every key'
        : `give a ${expectedName(issue.expected)}`;
    case 'invalid_value':
      if (issue.values.length === 1) return `set it to ${JSON.stringify(issue.values[0])}`;
      return `use one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'custom': {
      const hint: unknown = issue.params?.hint;
      return typeof hint === 'string' ? hint : ERROR_CATALOGUE.validation_invalid_config;
    }
    default:
      return ERROR_CATALOGUE.validation_invalid_config;
  }
}

function unknownKeyHint(name: string, meant: string | undefined, known: readonly string[]): string {
  const kebab = name
    .replaceAll('_', '-')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  if (kebab !== name && (meant === undefined || meant === kebab))
    return `keys are kebab-case: did you mean "${kebab}"?`;
  if (meant !== undefined) return `rename it to "${meant}"`;
  if (known.length > 0) return `remove the key or use one of: ${known.join(', ')}`;
  return 'remove the key or fix its spelling; see the starter files for every key';
}

function expectedName(expected: string): string {
  switch (expected) {
    case 'object':
      return 'table';
    case 'int':
      return 'integer';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return typeof value === 'boolean' ? `${value}` : typeof value;
}
