// Orchestration on top of messaging: waiting for the replies to a question (`ask`), waiting
// for sessions to reach a state (`wait`), and the system sender of supervisor events.
import { z } from 'zod';
import { MAX_WAIT_MS } from './limits.js';
import { HistoryMessageSchema, SessionViewSchema } from './records.js';

/**
 * Sender of supervisor events. The colon makes it impossible as a session id (sessions are
 * `^[A-Za-z][A-Za-z0-9_-]{0,30}$`), so no member can ever collide with it or speak as it.
 */
export const SYSTEM_SENDER = 'agentmux:events';

/** Kinds of supervisor event; the event message's subject is `event: <kind> <session>`. */
export const SupervisorEventKindSchema = z.enum([
  'turn_finished',
  'waiting_input',
  'failed',
  'exited',
  'delivery_failed',
  'summary',
]);
export type SupervisorEventKind = z.infer<typeof SupervisorEventKindSchema>;

export const RepliesWaitParamsSchema = z.strictObject({
  /** The question's message id. */
  id: z.string().min(1).max(64),
  /** Whose replies count (default: the question's recipients). */
  from: z.array(z.string().min(1).max(64)).max(256).optional(),
  /** Wait for a reply from every one of them (default: the first reply). */
  all: z.boolean().optional(),
  /** How long to wait; 0 answers at once with what the journal holds. */
  wait_ms: z.number().int().min(0).max(MAX_WAIT_MS).optional(),
  /** Mark the returned replies addressed to me read (default true: they were answered here). */
  mark_read: z.boolean().optional(),
});
export type RepliesWaitParams = z.input<typeof RepliesWaitParamsSchema>;

export const RepliesWaitResultSchema = z.looseObject({
  message_id: z.string(),
  thread: z.string(),
  /** Replies from the awaited sessions, oldest first. */
  replies: z.array(HistoryMessageSchema),
  /** The awaited sessions that have not replied yet. */
  pending: z.array(z.string()),
  /** True when the condition (first reply, or every reply with `all`) holds. */
  answered: z.boolean(),
});
export type RepliesWaitResult = z.infer<typeof RepliesWaitResultSchema>;

/** States `wait` can wait for. */
export const WaitableStateSchema = z.enum(['idle', 'busy', 'waiting_input', 'offline']);
export type WaitableState = z.infer<typeof WaitableStateSchema>;

export const SessionsWaitParamsSchema = z.strictObject({
  sessions: z.array(z.string().min(1).max(64)).min(1).max(256),
  state: WaitableStateSchema,
  wait_ms: z.number().int().min(0).max(MAX_WAIT_MS).optional(),
});
export const SessionsWaitResultSchema = z.looseObject({
  /** True when every named session is in the state. */
  reached: z.boolean(),
  sessions: z.array(SessionViewSchema),
});
export type SessionsWaitResult = z.infer<typeof SessionsWaitResultSchema>;
