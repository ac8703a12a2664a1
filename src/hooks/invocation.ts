// The arguments and input of `agentmux hook`: which positional is the event and which the
// payload, and the payload's JSON (salvaged when a bounded read cut it short).
import type { HookPayload } from './events.js';

/** Largest payload read from stdin; PostToolUse payloads can carry whole files. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

/** The event name and the payload text found among the positionals. */
export interface HookArguments {
  event?: string;
  /** The last positional, when it is a JSON object (Codex `notify` appends one). */
  payloadText?: string;
}

/** The payload is the last positional if it parses as a JSON object; the event is the first other one. */
export function splitHookArguments(positionals: readonly string[]): HookArguments {
  const last = positionals.at(-1);
  const payload = last !== undefined && parseObject(last) !== undefined ? last : undefined;
  const rest = payload === undefined ? positionals : positionals.slice(0, -1);
  const event = rest.find((arg) => /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(arg));
  return { ...(event === undefined ? {} : { event }), ...(payload === undefined ? {} : { payloadText: payload }) };
}

// Fields worth salvaging from a payload cut at MAX_PAYLOAD_BYTES; the clients write them
// before the large fields (tool input and output).
const SALVAGED = ['session_id', 'hook_event_name', 'notification_type', 'reason', 'type', 'thread-id'] as const;

/** The payload as an object: parsed whole, else the small string fields found in a cut one. */
export function parsePayload(text: string | undefined): HookPayload | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const whole = parseObject(text);
  if (whole !== undefined) return whole;
  const salvaged: Record<string, string> = {};
  for (const key of SALVAGED) {
    const match = new RegExp(`"${key}"\\s*:\\s*"([^"\\\\]{1,256})"`).exec(text);
    if (match?.[1] !== undefined) salvaged[key] = match[1];
  }
  return Object.keys(salvaged).length > 0 ? salvaged : undefined;
}

function parseObject(text: string): HookPayload | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as HookPayload) : undefined;
  } catch {
    return undefined;
  }
}
