// Building blocks shared by the config file schemas: trimmed strings, ids, scopes, env vars.
import { z } from 'zod';

import { AgentmuxError } from '../../core/errors.js';
import { BUNDLE_ID_PATTERN, SESSION_ID_PATTERN } from '../../core/ids.js';
import { compileRuleRegex } from '../regex.js';
import { SCOPES } from '../types.js';

/** Coder and policy ids: the bundle id shape, so they are safe in file names and messages. */
export const PROFILE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `format-version = 1`, required. */
export const formatVersionSchema = z.literal(1, {
  error: (issue) =>
    issue.input === undefined
      ? { message: 'is required: add `format-version = 1` at the top of the file' }
      : { message: `must be 1, got ${JSON.stringify(issue.input)}` },
});

/** A trimmed string that must not be empty. */
export const requiredTextSchema = z.string().trim().min(1);

/** A trimmed string; empty after trimming counts as absent. */
export const optionalTextSchema = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A trimmed string matching `pattern`; the problem names the value and carries `hint`. */
export function patternSchema(pattern: RegExp, what: string, hint: string) {
  return z
    .string()
    .trim()
    .superRefine((value, context) => {
      if (pattern.test(value)) return;
      context.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a valid ${what}`,
        params: { hint },
      });
    });
}

/** A session id (`^[A-Za-z][A-Za-z0-9_-]{0,30}$`). */
export const sessionIdSchema = patternSchema(
  SESSION_ID_PATTERN,
  'session id',
  'session ids start with a letter, then letters, digits, _ or -, at most 31 characters',
);

/** A bundle id (`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`). */
export const bundleIdSchema = patternSchema(
  BUNDLE_ID_PATTERN,
  'bundle id',
  'bundle ids start with a letter or digit, then letters, digits, ., _ or -, at most 64 characters',
);

/** A coder or policy id. */
export const profileIdSchema = patternSchema(
  PROFILE_ID_PATTERN,
  'id',
  'ids start with a letter or digit, then letters, digits, ., _ or -, at most 64 characters',
);

/** One policy scope. */
export const scopeSchema = z.enum(SCOPES);

/** A positive integer (timeouts). */
export const positiveIntSchema = z.number().int().positive();

/** A non-negative integer (delays, counts, columns). */
export const nonNegativeIntSchema = z.number().int().nonnegative();

/** A rule regex source, compiled (not trimmed: leading spaces can matter on a screen). */
export const ruleRegexSchema = z
  .string()
  .transform((source, context): RegExp | undefined => {
    if (source.trim() === '') return undefined;
    try {
      return compileRuleRegex(source);
    } catch (error) {
      const known = error instanceof AgentmuxError;
      context.addIssue({
        code: 'custom',
        message: known ? error.message : String(error),
        params: known ? { hint: error.hint } : {},
      });
      return z.NEVER;
    }
  })
  .optional();

const envVarSchema = z.strictObject({
  name: patternSchema(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'environment variable name',
    'names are letters, digits and _, not starting with a digit',
  ),
  value: z.string().trim(),
});

/** `environment = [{ name, value }, …]`, names unique. */
export const environmentSchema = z
  .array(envVarSchema)
  .superRefine((entries, context) => reportDuplicates(entries, 'name', context), { when: () => true })
  .default([]);

/**
 * Adds one issue per repeated `field` value in an array of tables. Runs even when some
 * entries are invalid, so duplicates are reported together with other problems.
 */
export function reportDuplicates(entries: unknown, field: string, context: z.RefinementCtx): void {
  if (!Array.isArray(entries)) return;
  const seen = new Map<string, number>();
  entries.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) return;
    const value: unknown = (entry as Record<string, unknown>)[field];
    if (typeof value !== 'string' || value.trim() === '') return;
    const key = value.trim();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    context.addIssue({
      code: 'custom',
      path: [index, field],
      message: `duplicate ${field} "${key}" (first used by entry ${first + 1})`,
      params: { hint: `every ${field} must be unique in this file` },
    });
  });
}
