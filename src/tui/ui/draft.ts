// The composer's conventions: leading `@id` tokens name recipients (`@all` broadcasts), Tab
// completes the `@prefix` under the cursor, and without mentions a message goes to the sender
// of the message being replied to, else to the selected session.
import type { TextField } from './text-field.js';

/** A draft split into recipients and body. */
export interface ParsedDraft {
  readonly to: readonly string[];
  readonly broadcast: boolean;
  readonly body: string;
}

/** The message being answered. */
export interface ReplyTarget {
  readonly id: string;
  readonly from: string;
  readonly to: readonly string[];
}

/** Who a draft goes to, and why. */
export interface Recipients {
  readonly to: readonly string[];
  readonly broadcast: boolean;
  readonly source: 'mention' | 'reply' | 'selected' | 'none';
}

const MENTION = /^@([A-Za-z][A-Za-z0-9_-]{0,30})[,:]?(?:\s+|$)/;

/** Splits leading mentions off the body. */
export function parseDraft(text: string): ParsedDraft {
  const to: string[] = [];
  let broadcast = false;
  let rest = text.replace(/^\s+/, '');
  for (let match = MENTION.exec(rest); match !== null; match = MENTION.exec(rest)) {
    const id = match[1] ?? '';
    if (id === 'all') broadcast = true;
    else if (!to.includes(id)) to.push(id);
    rest = rest.slice(match[0].length);
  }
  return { to, broadcast, body: rest.replace(/\s+$/, '') };
}

/** Recipients by precedence: mentions, the replied-to message, the selected session. */
export function resolveRecipients(
  parsed: ParsedDraft,
  self: string,
  replyTo: ReplyTarget | null,
  selectedSession: string | null,
): Recipients {
  if (parsed.to.length > 0 || parsed.broadcast)
    return { to: parsed.to, broadcast: parsed.broadcast, source: 'mention' };
  if (replyTo) {
    const to = replyTo.from === self ? replyTo.to.filter((id) => id !== self) : [replyTo.from];
    if (to.length > 0) return { to, broadcast: false, source: 'reply' };
  }
  if (selectedSession !== null && selectedSession !== self) {
    return { to: [selectedSession], broadcast: false, source: 'selected' };
  }
  return { to: [], broadcast: false, source: 'none' };
}

/** The `@prefix` token that ends at the cursor, if any. */
export function mentionAt(field: TextField): { start: number; prefix: string } | undefined {
  const before = field.text.slice(0, field.cursor);
  const match = /(?:^|\s)@([A-Za-z0-9_-]*)$/.exec(before);
  if (!match) return undefined;
  const prefix = match[1] ?? '';
  return { start: field.cursor - prefix.length - 1, prefix };
}

/** Session ids (and `all`) that complete `prefix`, sorted; never the operator itself. */
export function completionsFor(prefix: string, sessions: readonly string[], self: string): string[] {
  const lower = prefix.toLowerCase();
  const ids = sessions.filter((id) => id !== self && id.toLowerCase().startsWith(lower)).sort();
  return 'all'.startsWith(lower) && !ids.includes('all') ? [...ids, 'all'] : ids;
}

/** Completes the mention at the cursor: the one candidate, else the longest shared prefix, else the first. */
export function completeMention(field: TextField, sessions: readonly string[], self: string): TextField | undefined {
  const mention = mentionAt(field);
  if (!mention) return undefined;
  const candidates = completionsFor(mention.prefix, sessions, self);
  const first = candidates[0];
  if (first === undefined) return undefined;
  const shared = candidates.length === 1 ? `${first} ` : sharedPrefix(candidates);
  const replacement = shared.trimEnd().length > mention.prefix.length ? shared : `${first} `;
  const text = `${field.text.slice(0, mention.start)}@${replacement}${field.text.slice(field.cursor)}`;
  return { text, cursor: mention.start + 1 + replacement.length };
}

function sharedPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
