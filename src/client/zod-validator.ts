// The full protocol check: every result and notification parsed with the zod schemas.
import { METHODS, NOTIFICATIONS, isMethodName } from '../core/protocol/index.js';
import type { Checked, ProtocolValidator } from './validator.js';

type Parser = { safeParse(value: unknown, context?: { jitless?: boolean }): { success: boolean; data?: unknown } };

/**
 * zod compiles an object schema into a specialised parser (new Function) on its first parse,
 * which costs far more than one parse: the dashboard paid ~100 ms of it before its first frame.
 * A schema is parsed without compiling until it has proven to be used often.
 */
export const COMPILE_AFTER_PARSES = 16;

const parses = new WeakMap<Parser, number>();

function check(schema: Parser | undefined, value: unknown): Checked {
  if (!schema) return { ok: true, value };
  const count = parses.get(schema) ?? 0;
  let parsed: ReturnType<Parser['safeParse']>;
  if (count < COMPILE_AFTER_PARSES) {
    parses.set(schema, count + 1);
    parsed = schema.safeParse(value, { jitless: true });
  } else {
    parsed = schema.safeParse(value);
  }
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

/** Validates with the schemas in src/core/protocol (unknown notifications pass through). */
export const zodValidator: ProtocolValidator = {
  result: (method, value) => (isMethodName(method) ? check(METHODS[method].result, value) : { ok: false }),
  notification: (method, value) => check((NOTIFICATIONS as Record<string, Parser>)[method], value),
};
