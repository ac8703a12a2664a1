// A structural check of the two answers the fast path receives (hello and send), so a
// one-shot `agentmux send` never loads zod. The relay validates everything with zod.
import type { Checked, ProtocolValidator } from '../client/validator.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isString = (value: unknown): value is string => typeof value === 'string';

function helloOk(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value.bundle) &&
    isString(value.role) &&
    isObject(value.relay) &&
    typeof value.relay.pid === 'number'
  );
}

function sendOk(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value.message_id) &&
    isString(value.thread) &&
    Array.isArray(value.results) &&
    value.results.every((r) => isObject(r) && isString(r.target) && isString(r.outcome))
  );
}

/** Accepts well-formed hello and send answers; rejects every other method. */
export const sendOnlyValidator: ProtocolValidator = {
  result(method, value): Checked {
    const ok = method === 'hello' ? helloOk(value) : method === 'send' ? sendOk(value) : false;
    return ok ? { ok: true, value } : { ok: false };
  },
  notification: () => ({ ok: false }),
};
