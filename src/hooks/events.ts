// What one hook call means: the client's event (and payload) mapped to the agent state the
// relay records (Settled detail 21). Pure: no I/O, so every row is unit-tested.
import type { HookClient } from '../config/index.js';
import type { HookState } from '../core/protocol/index.js';

/** What one hook invocation tells the relay; nothing at all is `undefined`. */
export interface HookReport {
  /** The client's event name (`Stop`, `BeforeAgent`, `agent-turn-complete`, …). */
  event: string;
  /** Absent when the event only names the conversation (SessionStart, SessionEnd of a /clear). */
  state?: HookState;
  /** The agent's own conversation id, for `resume-command`. */
  conversationId?: string;
  /** The submitted prompt (busy-from-prompt events), at most MAX_PROMPT_BYTES of UTF-8. */
  prompt?: string;
}

/** A hook payload: the JSON object the client passed (possibly salvaged from a truncated one). */
export type HookPayload = Readonly<Record<string, unknown>>;

/** Longest prompt passed on, in UTF-8 bytes; the envelope marker is on its first line. */
export const MAX_PROMPT_BYTES = 4096;

/** Codex titles each thread with a hidden turn whose notify is not the agent's turn. */
export const CODEX_TITLE_PROMPT_PREFIX = 'Generate a concise, single-line task title';

/** Conversation ids the relay accepts (the same rule `resume-command` applies). */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

// Events whose meaning does not depend on the payload.
const FIXED: Readonly<Record<string, HookState>> = {
  UserPromptSubmit: 'busy',
  PreToolUse: 'busy',
  PostToolUse: 'busy',
  BeforeAgent: 'busy',
  BeforeTool: 'busy',
  // Not in Settled 21's list, but without it a Gemini session stays `waiting_input` from an
  // approved permission until the turn ends (Claude has PostToolUse for that).
  AfterTool: 'busy',
  PermissionRequest: 'waiting_input',
  Stop: 'idle',
  AfterAgent: 'idle',
};

const PROMPT_EVENTS: ReadonlySet<string> = new Set(['UserPromptSubmit', 'BeforeAgent']);

/** Maps one hook call to a report; `undefined` when it says nothing the relay uses. */
export function interpretHook(
  client: HookClient,
  event: string | undefined,
  payload: HookPayload | undefined,
): HookReport | undefined {
  const name = event ?? text(payload?.hook_event_name) ?? (client === 'codex' ? text(payload?.type) : undefined);
  if (name === undefined) return undefined;
  if (name === 'agent-turn-complete') return codexTurnComplete(name, payload);
  const conversationId = conversationIdOf(payload?.session_id);
  const base: HookReport = { event: name, ...(conversationId ? { conversationId } : {}) };
  const state = stateOf(client, name, payload);
  if (state === undefined) return name === 'SessionStart' || name === 'SessionEnd' ? onlyConversation(base) : undefined;
  const prompt = PROMPT_EVENTS.has(name) ? text(payload?.prompt) : undefined;
  return { ...base, state, ...(prompt === undefined ? {} : { prompt: truncateUtf8(prompt, MAX_PROMPT_BYTES) }) };
}

function stateOf(client: HookClient, name: string, payload: HookPayload | undefined): HookState | undefined {
  const fixed = FIXED[name];
  if (fixed !== undefined) return fixed;
  if (name === 'SessionEnd') {
    // `/clear` ends one conversation and starts the next in the same, still running agent.
    return text(payload?.reason) === 'clear' ? undefined : 'offline';
  }
  if (name !== 'Notification') return undefined;
  const kind = text(payload?.notification_type);
  if (client === 'gemini') return kind === 'ToolPermission' ? 'waiting_input' : undefined;
  if (kind === 'permission_prompt' || kind === 'elicitation_dialog') return 'waiting_input';
  return kind === 'idle_prompt' ? 'idle' : undefined;
}

// Codex `notify`: the only event it sends; the title turn has its own thread id, so it is
// dropped whole (recording that id would resume the wrong conversation).
function codexTurnComplete(name: string, payload: HookPayload | undefined): HookReport | undefined {
  const inputs = payload?.['input-messages'];
  const first = Array.isArray(inputs) ? text(inputs[0]) : undefined;
  if (first?.startsWith(CODEX_TITLE_PROMPT_PREFIX)) return undefined;
  const conversationId = conversationIdOf(payload?.['thread-id']);
  return { event: name, state: 'idle', ...(conversationId ? { conversationId } : {}) };
}

function onlyConversation(base: HookReport): HookReport | undefined {
  return base.conversationId === undefined ? undefined : base;
}

function conversationIdOf(value: unknown): string | undefined {
  const id = text(value);
  return id !== undefined && CONVERSATION_ID_PATTERN.test(id) ? id : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Cuts `value` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return value.slice(0, end);
}
