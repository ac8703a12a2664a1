// `replies.wait` (the relay half of `ask`) and `sessions.wait` (`wait`). Both read the truth
// (journal, registry) first and after every relevant change, so a client that reconnects after
// a relay restart simply asks again and loses nothing.
import type { z } from 'zod';
import { AgentmuxError } from '../../core/errors.js';
import type { HistoryMessage, Message, RepliesWaitResult, SessionsWaitResult } from '../../core/protocol/index.js';
import type { RepliesWaitParamsSchema, SessionsWaitParamsSchema } from '../../core/protocol/orchestration.js';
import { authorize, scopeOf, type Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';

/** What `replies.wait` uses: the journal's replies, new messages as they come, read marks. */
export type RepliesWaitDeps = Pick<RelayCore, 'journal' | 'batcher' | 'router' | 'notifier' | 'clock'>;
/** What `sessions.wait` uses: the roster's states as they change. */
export type SessionsWaitDeps = Pick<RelayCore, 'registry' | 'router' | 'clock'>;

/**
 * Resolves when `check` returns a value, re-checking whenever `subscribe` fires; gives the last
 * check's value when `waitMs` runs out or `signal` aborts. Every listener and timer is removed.
 */
function waitUntil<T>(
  core: Pick<RelayCore, 'clock'>,
  check: () => { done: boolean; value: T },
  subscribe: (fire: () => void) => () => void,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  const first = check();
  if (first.done || waitMs <= 0 || signal?.aborted) return Promise.resolve(first.value);
  return new Promise<T>((resolve) => {
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      unsubscribe();
      timer.cancel();
      signal?.removeEventListener('abort', finish);
      resolve(check().value);
    };
    const unsubscribe = subscribe(() => {
      if (!settled && check().done) finish();
    });
    const timer = core.clock.setTimeout(finish, waitMs);
    signal?.addEventListener('abort', finish, { once: true });
  });
}

/** The awaited sessions' replies to `question`, and who has not replied yet. */
function collectReplies(
  core: Pick<RelayCore, 'journal'>,
  question: Message,
  from: readonly string[],
  all: boolean,
): { replies: HistoryMessage[]; pending: string[]; answered: boolean } {
  const replies = core.journal.replies(question, from);
  const replied = new Set(replies.map((reply) => reply.from));
  const pending = from.filter((session) => !replied.has(session));
  return { replies, pending, answered: all ? pending.length === 0 : replies.length > 0 };
}

/** `replies.wait`: replies to a question from its recipients (or `from`), waiting up to `wait_ms`. */
export async function handleRepliesWait(
  core: RepliesWaitDeps,
  principal: Principal,
  params: z.infer<typeof RepliesWaitParamsSchema>,
  signal?: AbortSignal,
): Promise<RepliesWaitResult> {
  core.batcher.flush();
  const question = core.journal.getMessage(params.id);
  if (!question) {
    throw new AgentmuxError('validation_unknown_message', `no message with id ${params.id}`, {
      details: { id: params.id },
    });
  }
  // The asker waits for its own question; others need the right to read every history.
  if (question.from !== principal.session) {
    const scope = scopeOf(principal, 'history');
    if (scope !== 'all:home' && scope !== 'all:all') authorize(principal, 'history', question.from);
  }
  const from = params.from ?? [...question.to, ...question.cc];
  const all = params.all ?? false;
  const check = (): { done: boolean; value: ReturnType<typeof collectReplies> } => {
    const value = collectReplies(core, question, from, all);
    return { done: value.answered, value };
  };
  const result = await waitUntil(
    core,
    check,
    (fire) =>
      core.notifier.subscribe((notice) => {
        if (notice.method !== 'message.created') return;
        const message = (notice.params as { message?: Message }).message;
        if (message && message.thread === question.thread && from.includes(message.from)) fire();
      }),
    params.wait_ms ?? 0,
    signal,
  );
  await markAnswered(core, principal, result.replies, params.mark_read ?? true);
  return { message_id: question.id, thread: question.thread, ...result };
}

/** Replies handed to the asker here count as read, so its pane is not also typed the same text. */
async function markAnswered(
  core: Pick<RelayCore, 'journal' | 'batcher' | 'router'>,
  principal: Principal,
  replies: HistoryMessage[],
  markRead: boolean,
): Promise<void> {
  const owner = principal.session;
  if (!markRead || owner === null) return;
  const seqs = replies
    .filter((reply) => reply.to.includes(owner) || reply.cc.includes(owner))
    .filter((reply) => reply.deliveries.some((d) => d.recipient === owner && d.read_at === null))
    .map((reply) => reply.seq);
  if (seqs.length === 0) return;
  core.router.markRead(owner, seqs);
  await core.batcher.write(() => undefined);
  for (const reply of replies) {
    for (const delivery of reply.deliveries) {
      if (delivery.recipient === owner && delivery.read_at === null) {
        const now = core.journal.deliveryOf(reply.seq, owner);
        if (now) Object.assign(delivery, { state: now.state, read_at: now.read_at, updated_at: now.updated_at });
      }
    }
  }
}

/** `sessions.wait`: resolves when every named session is in `state`, or when `wait_ms` runs out. */
export function handleSessionsWait(
  core: SessionsWaitDeps,
  principal: Principal,
  params: z.infer<typeof SessionsWaitParamsSchema>,
  signal?: AbortSignal,
): Promise<SessionsWaitResult> {
  authorize(principal, 'list');
  const unknown = params.sessions.filter((id) => !core.registry.member(id));
  if (unknown.length > 0) {
    throw new AgentmuxError('validation_unknown_session', `unknown session: ${unknown.join(', ')}`, {
      details: { unknown_sessions: unknown, bundle: core.registry.bundle },
    });
  }
  const sessions = [...new Set(params.sessions)];
  const check = (): { done: boolean; value: SessionsWaitResult } => {
    const views = sessions.map((id) =>
      core.registry.view(id, { queued: core.router.queued(id), unread: core.router.unreadOf(id) }),
    );
    const reached = views.every((view) => view.state === params.state);
    return { done: reached, value: { reached, sessions: views } };
  };
  return waitUntil(
    core,
    check,
    (fire) =>
      core.registry.onChange((id) => {
        if (sessions.includes(id)) fire();
      }),
    params.wait_ms ?? 0,
    signal,
  );
}
