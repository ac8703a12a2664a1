// Inbox, acks, history search and threads: reading what the journal holds.
import type { z } from 'zod';
import { AgentmuxError } from '../../core/errors.js';
import type {
  HistorySearchResult,
  InboxAckResult,
  InboxFetchResult,
  ThreadGetResult,
} from '../../core/protocol/index.js';
import type {
  HistorySearchParamsSchema,
  InboxAckParamsSchema,
  InboxFetchParamsSchema,
  ThreadGetParamsSchema,
} from '../../core/protocol/methods.js';
import { authorize, scopeOf, type Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';

/** What `inbox.fetch` and `inbox.ack` use: reads, read marks and their commit. */
export type InboxDeps = Pick<RelayCore, 'journal' | 'router' | 'batcher'>;
/** What `history.search` and `thread.get` use. */
export type HistoryDeps = Pick<RelayCore, 'journal'>;

/** The session a mailbox request acts for; observers have no mailbox. */
export function mailboxOwner(principal: Principal): string {
  if (principal.session === null) {
    throw new AgentmuxError('authorization_forbidden', 'observers have no inbox; hello as a session of the bundle');
  }
  return principal.session;
}

/** `inbox.fetch`: messages addressed to me, optionally marking them read (durably). */
export async function handleInboxFetch(
  core: InboxDeps,
  principal: Principal,
  params: z.infer<typeof InboxFetchParamsSchema>,
): Promise<InboxFetchResult> {
  const owner = mailboxOwner(principal);
  const messages = core.journal.inbox(owner, { unreadOnly: params.unread_only ?? false, limit: params.limit ?? 100 });
  if (params.mark_read) {
    const unread = messages.filter((m) => m.read_at === null).map((m) => m.seq);
    if (unread.length > 0) {
      core.router.markRead(owner, unread);
      await committed(core);
    }
  }
  return { messages, unread: core.router.unreadOf(owner) };
}

/**
 * Resolves once every journal write queued so far has committed: an answered ack must
 * survive a SIGKILL, or the message is delivered again after a restart.
 */
function committed(core: Pick<RelayCore, 'batcher'>): Promise<void> {
  return core.batcher.write(() => undefined);
}

/** `inbox.ack`: marks messages read (and completes deliveries still queued), durably. */
export async function handleInboxAck(
  core: InboxDeps,
  principal: Principal,
  params: z.infer<typeof InboxAckParamsSchema>,
): Promise<InboxAckResult> {
  const owner = mailboxOwner(principal);
  const acked: string[] = [];
  const unknown: string[] = [];
  const seqs: number[] = [];
  for (const id of params.ids) {
    const message = core.journal.getMessage(id);
    if (message && (message.to.includes(owner) || message.cc.includes(owner))) {
      acked.push(id);
      seqs.push(message.seq);
    } else {
      unknown.push(id);
    }
  }
  if (seqs.length > 0) {
    core.router.markRead(owner, seqs);
    await committed(core);
  }
  return { acked, unknown, unread: core.router.unreadOf(owner) };
}

/** Quotes free text as one FTS5 phrase, so user input is never parsed as query syntax. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function participantFilter(principal: Principal): string | undefined {
  const scope = scopeOf(principal, 'history');
  if (scope === 'none') authorize(principal, 'history');
  return scope === 'self' ? (principal.session ?? undefined) : undefined;
}

/** `history.search`: journaled messages, newest `limit`, oldest first. */
export function handleHistorySearch(
  core: HistoryDeps,
  principal: Principal,
  params: z.infer<typeof HistorySearchParamsSchema>,
): HistorySearchResult {
  const participant = participantFilter(principal) ?? params.session;
  const messages = core.journal.search({
    ...(params.query === undefined ? {} : { match: params.fts ? params.query : ftsPhrase(params.query) }),
    ...(params.thread === undefined ? {} : { thread: params.thread }),
    ...(participant === undefined ? {} : { participant }),
    limit: params.limit ?? 50,
  });
  return { messages };
}

/** `thread.get`: every message of the thread that `id` (a message or thread id) belongs to. */
export function handleThreadGet(
  core: HistoryDeps,
  principal: Principal,
  params: z.infer<typeof ThreadGetParamsSchema>,
): ThreadGetResult {
  const thread = core.journal.getMessage(params.id)?.thread ?? params.id;
  const participant = participantFilter(principal);
  const messages = core.journal.search({ thread, limit: 1000, ...(participant === undefined ? {} : { participant }) });
  if (messages.length === 0) {
    throw new AgentmuxError('validation_unknown_message', `no message or thread with id ${params.id}`, {
      details: { id: params.id },
    });
  }
  return { thread, messages };
}
