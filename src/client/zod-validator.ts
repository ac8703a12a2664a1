// The full protocol check: every result and notification parsed with the zod schemas.
import { METHODS, NOTIFICATIONS, isMethodName } from '../core/protocol/index.js';
import type { Checked, ProtocolValidator } from './validator.js';

type Parser = { safeParse(value: unknown): { success: boolean; data?: unknown } };

function check(schema: Parser | undefined, value: unknown): Checked {
  if (!schema) return { ok: true, value };
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

/** Validates with the schemas in src/core/protocol (unknown notifications pass through). */
export const zodValidator: ProtocolValidator = {
  result: (method, value) => (isMethodName(method) ? check(METHODS[method].result, value) : { ok: false }),
  notification: (method, value) => check((NOTIFICATIONS as Record<string, Parser>)[method], value),
};
