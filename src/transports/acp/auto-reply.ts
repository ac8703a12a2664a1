// ACP auto-replies: the text an agent streams during a prompt turn becomes a message from
// that agent to whoever wrote to it. Auto-replies are marked through their request id, and
// an auto-reply that answers another auto-reply ends the chain: it is journaled but never
// prompted into an ACP agent, so two ACP agents cannot talk to each other forever.
import { MAX_BODY_BYTES, MAX_SUBJECT_CHARS, type Message } from '../../core/protocol/index.js';

/** Request id prefix of an auto-reply to a message written by someone (or something) else. */
export const AUTO_REPLY_PREFIX = 'acp-reply:';
/** Request id prefix of an auto-reply to an auto-reply: the end of the chain. */
export const FINAL_AUTO_REPLY_PREFIX = 'acp-reply-end:';
/** Delivery reason of a chain-ending auto-reply that was recorded but not prompted. */
export const NOT_PROMPTED_REASON = 'auto_reply_not_prompted';

/** The `send` parameters (minus the sender, which the relay binds) of an auto-reply. */
export interface AutoReply {
  to: string[];
  subject?: string;
  body: string;
  reply_to: string;
  request_id: string;
}

/** True when `message` is an ACP auto-reply of either kind. */
export function isAutoReply(message: Pick<Message, 'request_id'>): boolean {
  const id = message.request_id ?? '';
  return id.startsWith(AUTO_REPLY_PREFIX) || id.startsWith(FINAL_AUTO_REPLY_PREFIX);
}

/** False for auto-replies that answer auto-replies: those are never prompted into an ACP agent. */
export function mayPrompt(message: Pick<Message, 'request_id'>): boolean {
  return !(message.request_id ?? '').startsWith(FINAL_AUTO_REPLY_PREFIX);
}

/**
 * The auto-reply of a turn prompted by `prompted`, or undefined when the agent said nothing.
 * The body is made acceptable to `send` (no NUL, well-formed UTF-16, within the size limit).
 */
export function autoReplyFor(prompted: Message, text: string): AutoReply | undefined {
  let body = text.replaceAll('\u0000', '').trim();
  body = (body as string & { toWellFormed(): string }).toWellFormed();
  if (body.length === 0) return undefined;
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    const marker = '\n[… answer truncated by agentmux]';
    const keep = Buffer.from(body, 'utf8').subarray(0, MAX_BODY_BYTES - Buffer.byteLength(marker) - 4);
    body = `${keep.toString('utf8').replace(/\uFFFD$/, '')}${marker}`;
  }
  const prefix = isAutoReply(prompted) ? FINAL_AUTO_REPLY_PREFIX : AUTO_REPLY_PREFIX;
  const subject = prompted.subject ? replySubject(prompted.subject) : undefined;
  return {
    to: [prompted.from],
    ...(subject === undefined ? {} : { subject }),
    body,
    reply_to: prompted.id,
    request_id: `${prefix}${prompted.id}`,
  };
}

function replySubject(subject: string): string {
  const base = /^re:\s/i.test(subject) ? subject : `Re: ${subject}`;
  return base.slice(0, MAX_SUBJECT_CHARS);
}
