// How a session's state reads to a person, shared by `list`, the status line and the
// dashboard: an idle agent whose composer holds someone's draft is blocked, not ready.
import type { SessionState } from './protocol/index.js';

/** A session's state and the relay's reason for it. */
export interface StatedSession {
  state: SessionState;
  reason?: string | null;
}

/** The start of the reason an idle pane with a draft carries (`draft: <why the relay thinks so>`). */
export const DRAFT_REASON = 'draft';

/** The reason for an idle pane held by a draft, with the detector's explanation. */
export function draftReason(why: string): string {
  return `${DRAFT_REASON}: ${why}`;
}

/** What holds deliveries to an otherwise ready session (`draft`), or null. */
export function blockedBy(session: StatedSession): string | null {
  if (session.state !== 'idle' || !session.reason) return null;
  return session.reason === DRAFT_REASON || session.reason.startsWith(`${DRAFT_REASON}:`) ? DRAFT_REASON : null;
}

/** The state in words: idle is "ready" (DESIGN settled detail 3), or "blocked: draft". */
export function stateWords(session: StatedSession, waitingWord: string): string {
  const blocker = blockedBy(session);
  if (blocker !== null) return `blocked: ${blocker}`;
  return session.state === 'idle' ? 'ready' : session.state === 'waiting_input' ? waitingWord : session.state;
}

/** The relay's explanation without the `draft: ` prefix (the state already says draft). */
export function reasonDetail(session: StatedSession): string {
  const reason = session.reason ?? '';
  if (blockedBy(session) === null) return reason;
  return reason.slice(DRAFT_REASON.length).replace(/^:\s*/, '');
}
