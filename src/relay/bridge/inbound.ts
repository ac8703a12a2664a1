// A message bridged from another host enters this host's journal once per recipient copy,
// however often JetStream hands it over (redelivery, a republish after the window): the
// message row is found by its ULID and the delivery row by (recipient, seq).
import { createHash } from 'node:crypto';
import { rfc3339 } from '../../core/clock.js';
import { z } from 'zod';
import { FINAL_DELIVERY_STATES, type Message } from '../../core/protocol/index.js';
import type { RelayCore } from '../relay-core.js';
import { canonicalAddress, type HostMap } from './hosts.js';

/** What travels for one recipient copy; `recipient` is the session on the destination host. */
export const BridgedMessageSchema = z.object({
  recipient: z.string().min(1).max(64),
  message: z.object({
    id: z.string().min(1).max(64),
    from: z.string().min(1).max(64),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    subject: z.string().nullable(),
    body: z.string(),
    reply_to: z.string().nullable(),
    thread: z.string().min(1),
    created_at: z.string().min(1),
  }),
});
export type BridgedMessage = z.infer<typeof BridgedMessageSchema>;

/**
 * What a message entry carries: several copies to one host in journal order (a burst the
 * publisher merged), or a single copy. Each copy is checked on its own: a bad one is skipped,
 * the others are inserted.
 */
export function copiesIn(entry: unknown): unknown[] {
  if (typeof entry === 'object' && entry !== null && 'copies' in entry && Array.isArray(entry.copies)) {
    return entry.copies as unknown[];
  }
  return [entry];
}

/**
 * One entry of several copies' entries (their data, in order). Its Nats-Msg-Id is a digest of
 * theirs: the same copies merged again get the same id; a different merge after a restart
 * gets another, and the receiving journal drops the copies it already has.
 */
export function mergeCopies(entries: readonly { data: string; msgID: string }[]): { data: string; msgID: string } {
  const digest = createHash('sha1');
  for (const entry of entries) digest.update(entry.msgID).update('\n');
  return { data: `{"copies":[${entries.map((entry) => entry.data).join(',')}]}`, msgID: `b.${digest.digest('hex')}` };
}

/** A copy already final here: its report is owed again (the first may have been lost). */
export interface InsertOutcome {
  settled?: { id: string; recipient: string; state: 'delivered' | 'failed'; reason: string | null };
}

/** Journals one bridged copy (committed before it returns) and queues it for delivery. */
export async function insertBridged(
  core: RelayCore,
  hosts: HostMap,
  origin: string,
  bridged: BridgedMessage,
): Promise<InsertOutcome> {
  const { recipient, message: wire } = bridged;
  if (core.registry.member(recipient) === undefined) {
    core.log.warn('bridge.unknown_recipient', { message_id: wire.id, recipient, origin });
    return { settled: { id: wire.id, recipient, state: 'failed', reason: 'unknown_session' } };
  }
  const from = canonicalAddress(hosts, `${wire.from}@${origin}`);
  const at = rfc3339(core.clock.now());
  const result = await core.batcher.write(() => {
    const existing = core.journal.getMessage(wire.id);
    if (existing !== undefined) {
      return { seq: existing.seq, added: core.journal.addRecipient(existing.seq, recipient, at) };
    }
    const seq = core.journal.insertMessage({
      id: wire.id,
      sender: from,
      to: wire.to,
      cc: wire.cc,
      recipients: [recipient],
      subject: wire.subject,
      body: wire.body,
      replyTo: wire.reply_to,
      thread: wire.thread,
      requestId: null,
      fingerprint: null,
      createdAt: wire.created_at,
    });
    return { seq, added: true };
  });
  if (!result.added) {
    const { state, reason } = core.router.stateOf(result.seq, recipient);
    if (!FINAL_DELIVERY_STATES.has(state)) return {};
    return { settled: { id: wire.id, recipient, state: state === 'delivered' ? 'delivered' : 'failed', reason } };
  }
  const message: Message = {
    ...wire,
    seq: result.seq,
    bundle: core.registry.bundle,
    from,
    request_id: null,
  };
  core.router.enqueue(message, [recipient]);
  core.notifier.publish('message.created', { message }, { kind: 'events' });
  core.notifier.publish(
    'inbox.updated',
    { unread: core.router.unreadOf(recipient), message_id: message.id },
    { kind: 'session', session: recipient },
  );
  return {};
}
