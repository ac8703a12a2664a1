// A structural check of the few answers the fast paths receive (hello, send, session.report),
// so a one-shot `agentmux send` or `agentmux hook` never loads zod. The relay validates
// everything with zod.
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

function reportOk(value: unknown): boolean {
  return isObject(value) && isString(value.session) && isString(value.state);
}

/** Accepts well-formed hello and session.report answers (the hook's); rejects the rest. */
export const hookOnlyValidator: ProtocolValidator = {
  result(method, value): Checked {
    const ok = method === 'hello' ? helloOk(value) : method === 'session.report' ? reportOk(value) : false;
    return ok ? { ok: true, value } : { ok: false };
  },
  notification: () => ({ ok: false }),
};
