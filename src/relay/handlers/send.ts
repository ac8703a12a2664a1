// `send`: validate, authorize, journal (before answering), then route to each recipient.
import { hash } from 'node:crypto';
import { rfc3339 } from '../../core/clock.js';
import { AgentmuxError } from '../../core/errors.js';
import {
  FINAL_DELIVERY_STATES,
  MAX_BODY_BYTES,
  type Message,
  type SendResult,
  type SendResultEntry,
} from '../../core/protocol/index.js';
import type { z } from 'zod';
import type { SendParamsSchema } from '../../core/protocol/methods.js';
import { canonicalAddress, HOST_SEPARATOR, isRemote } from '../bridge/hosts.js';
import { authorize, type Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';

type SendParams = z.infer<typeof SendParamsSchema>;

/** What `send` uses: resolve and check recipients, journal, route, notify, answer (and wait). */
export type SendDeps = Pick<
  RelayCore,
  'registry' | 'journal' | 'batcher' | 'router' | 'notifier' | 'clock' | 'ids' | 'inflightRequests'
>;
/** What the answer to a send is read from. */
type ResultDeps = Pick<RelayCore, 'journal' | 'router'>;

/** Checks the body: UTF-8 text, not blank, within the size limit, no NUL. */
export function validateBody(body: string): void {
  if (body.trim().length === 0) throw new AgentmuxError('validation_empty_message', 'the message body is empty');
  if (body.includes('\u0000')) {
    throw new AgentmuxError('validation_invalid_body', 'message bodies must not contain NUL bytes');
  }
  if (!isWellFormed(body)) {
    throw new AgentmuxError('validation_invalid_body', 'message bodies must be valid UTF-8 (lone surrogate found)');
  }
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new AgentmuxError(
      'validation_body_too_large',
      `message body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`,
      {
        details: { bytes, max_bytes: MAX_BODY_BYTES },
      },
    );
  }
}

/** Resolves the recipient list (to, then cc, deduplicated, in order). */
export function resolveRecipients(
  core: Pick<RelayCore, 'registry' | 'journal' | 'hosts' | 'bridge'>,
  principal: Principal,
  params: SendParams,
): { to: string[]; cc: string[] } {
  let cc = params.cc ?? [];
  if (params.broadcast && params.to.length > 0) {
    throw new AgentmuxError('validation_conflicting_targets', 'use either explicit targets or broadcast, not both');
  }
  let to = params.broadcast
    ? core.registry
        .agents()
        .map((member) => member.id)
        .filter((id) => id !== principal.session)
    : params.to.length === 0 && params.reply_to !== undefined
      ? replyTargets(core, principal, params.reply_to)
      : [...new Set(params.to)];
  if (!params.broadcast && to.length === 0) {
    throw new AgentmuxError('validation_empty_targets', 'name at least one target (or answer a message with reply_to)');
  }
  const hosts = core.hosts;
  if (hosts !== undefined) {
    // `alice@build` and `alice` name one journal recipient; someone elsewhere is `id@host`.
    to = [...new Set(to.map((id) => canonicalAddress(hosts, id)))];
    cc = [...new Set(cc.map((id) => canonicalAddress(hosts, id)))];
  }
  const unknown = [...to, ...cc].filter((id) => !core.registry.member(id) && !id.includes(HOST_SEPARATOR));
  if (unknown.length > 0) {
    throw new AgentmuxError('validation_unknown_target', `unknown target session: ${unknown.join(', ')}`, {
      details: { unknown_targets: unknown, bundle: core.registry.bundle },
    });
  }
  for (const id of [...to, ...cc]) if (hosts !== undefined && isRemote(hosts, id)) core.bridge?.route(id);
  return { to, cc: [...new Set(cc)].filter((id) => !to.includes(id)) };
}

/**
 * Who a reply without explicit targets goes to: the parent's sender; a follow-up to my own
 * message goes to its recipients again.
 */
function replyTargets(core: Pick<RelayCore, 'journal'>, principal: Principal, replyTo: string): string[] {
  const parent = core.journal.getMessage(replyTo);
  if (!parent) {
    throw new AgentmuxError('validation_unknown_message', `no message with id ${replyTo}`, {
      details: { reply_to: replyTo },
    });
  }
  if (parent.from !== principal.session) return [parent.from];
  return [...new Set(parent.to)].filter((id) => id !== principal.session);
}

/** Handles one `send` from `principal`; a `wait_ms` wait ends early when `signal` aborts. */
export async function handleSend(
  core: SendDeps,
  principal: Principal,
  params: SendParams,
  signal?: AbortSignal,
): Promise<SendResult> {
  const sender = principal.session;
  if (sender === null || principal.role === 'observer') {
    throw new AgentmuxError('authorization_forbidden', 'observers cannot send; hello as a session of the bundle');
  }
  validateBody(params.body);
  const { to, cc } = resolveRecipients(core, principal, params);
  const recipients = [...to, ...cc];
  for (const target of recipients) authorize(principal, 'send', target);

  // crypto.hash: a one-shot digest without a Hash object costs a seventh of createHash().
  const fingerprint = hash(
    'sha1',
    JSON.stringify([to, cc, params.subject ?? null, params.body, params.reply_to ?? null]),
    'hex',
  );
  if (params.request_id !== undefined) {
    const key = `${sender}\u0000${params.request_id}`;
    const inflight = core.inflightRequests.get(key);
    if (inflight) {
      if (inflight.fingerprint !== fingerprint) throw requestConflict(params.request_id);
      const first = await inflight.result;
      return currentResult(core, first.message_id, params.wait_ms, signal);
    }
    // A reply is checked against its parent and its thread's hop limit before it is journaled;
    // a retry of one already accepted gets its answer, not those checks' verdict. Other sends
    // look for their request id inside the batch's transaction (see accept).
    if (params.reply_to !== undefined) {
      const existing = core.journal.findByRequest(sender, params.request_id);
      if (existing) return retried(core, existing, fingerprint, params, signal);
    }
    const result = accept(core, sender, params, to, cc, fingerprint, signal);
    core.inflightRequests.set(key, { fingerprint, result });
    try {
      return await result;
    } finally {
      core.inflightRequests.delete(key);
    }
  }
  return accept(core, sender, params, to, cc, fingerprint, signal);
}

async function accept(
  core: SendDeps,
  sender: string,
  params: SendParams,
  to: string[],
  cc: string[],
  fingerprint: string,
  signal: AbortSignal | undefined,
): Promise<SendResult> {
  let thread: string | undefined;
  if (params.reply_to !== undefined) {
    const parent = core.journal.getMessage(params.reply_to);
    if (!parent) {
      throw new AgentmuxError('validation_unknown_message', `no message with id ${params.reply_to}`, {
        details: { reply_to: params.reply_to },
      });
    }
    thread = parent.thread;
    enforceHopLimit(core, sender, thread);
  }
  const id = core.ids.next();
  const createdAt = rfc3339(core.clock.now());
  const recipients = [...to, ...cc];
  const record = {
    id,
    sender,
    to,
    cc,
    recipients,
    subject: params.subject?.trim() || null,
    body: params.body,
    replyTo: params.reply_to ?? null,
    thread: thread ?? id,
    requestId: params.request_id ?? null,
    fingerprint,
    createdAt,
  };
  // The request id is looked up in the same transaction as the insert: a read outside one pays
  // for its own snapshot (WAL locks), which cost as much as the insert itself.
  const requestId = record.requestId;
  const outcome = await core.batcher.write(
    () => (requestId !== null && core.journal.findByRequest(sender, requestId)) || core.journal.insertMessage(record),
  );
  if (typeof outcome !== 'number') return retried(core, outcome, fingerprint, params, signal);
  const seq = outcome;
  const message: Message = {
    id,
    seq,
    bundle: core.registry.bundle,
    from: sender,
    to,
    cc,
    subject: record.subject,
    body: record.body,
    reply_to: record.replyTo,
    thread: record.thread,
    request_id: record.requestId,
    created_at: createdAt,
  };
  core.router.enqueue(message, recipients);
  core.notifier.publish('message.created', { message }, { kind: 'events' });
  for (const recipient of recipients) {
    core.notifier.publish(
      'inbox.updated',
      { unread: core.router.unreadOf(recipient), message_id: id },
      {
        kind: 'session',
        session: recipient,
      },
    );
  }
  return resultFor(core, message, recipients, params.wait_ms, signal);
}

/** The answer to a send whose request id was journaled before: its message's current state. */
function retried(
  core: ResultDeps,
  existing: { message: Message; fingerprint: string | null },
  fingerprint: string,
  params: SendParams,
  signal: AbortSignal | undefined,
): Promise<SendResult> {
  if (existing.fingerprint !== fingerprint) throw requestConflict(params.request_id ?? '');
  return currentResult(core, existing.message.id, params.wait_ms, signal);
}

async function currentResult(
  core: ResultDeps,
  messageId: string,
  waitMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<SendResult> {
  const message = core.journal.getMessage(messageId);
  if (!message) throw new AgentmuxError('internal_unexpected_failure', `message ${messageId} vanished`);
  return resultFor(core, message, [...message.to, ...message.cc], waitMs, signal);
}

async function resultFor(
  core: ResultDeps,
  message: Message,
  recipients: string[],
  waitMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<SendResult> {
  let timedOut: boolean | undefined;
  if (waitMs !== undefined && waitMs > 0) timedOut = !(await core.router.waitForFinal(message.seq, waitMs, signal));
  const results: SendResultEntry[] = recipients.map((target) => {
    const { state, reason } = core.router.stateOf(message.seq, target);
    return reason === null ? { target, outcome: state } : { target, outcome: state, reason };
  });
  if (waitMs !== undefined && timedOut === undefined) {
    timedOut = results.some((r) => !FINAL_DELIVERY_STATES.has(r.outcome));
  }
  return {
    message_id: message.id,
    thread: message.thread,
    results,
    ...(timedOut === undefined ? {} : { timed_out: timedOut }),
  };
}

/** Agent-to-agent messages allowed in one thread since an operator last spoke in it. */
export const THREAD_HOP_LIMIT = 50;

/** Two agents answering each other forever would burn their budgets: stop at the limit. */
function enforceHopLimit(core: Pick<RelayCore, 'registry' | 'journal'>, sender: string, thread: string): void {
  if (core.registry.member(sender)?.role !== 'agent') return;
  const recent = core.journal.threadSenders(thread, THREAD_HOP_LIMIT);
  const sinceOperator = recent.findIndex((id) => core.registry.member(id)?.role === 'operator');
  const hops = sinceOperator === -1 ? recent.length : sinceOperator;
  if (hops >= THREAD_HOP_LIMIT) {
    throw new AgentmuxError(
      'validation_hop_limit',
      `thread ${thread} has had ${THREAD_HOP_LIMIT} agent messages without an operator; an operator must reply to continue it`,
      { details: { thread, limit: THREAD_HOP_LIMIT } },
    );
  }
}

function requestConflict(requestId: string): AgentmuxError {
  return new AgentmuxError(
    'validation_request_id_conflict',
    `request id ${requestId} was already used for a different message`,
    { details: { request_id: requestId } },
  );
}

/** Node 20 has String.prototype.isWellFormed; TypeScript's ES2023 lib does not declare it. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
