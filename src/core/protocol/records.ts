// Records that cross the wire and live in the journal: messages, deliveries, sessions, status.
import { z } from 'zod';

/** Where one recipient's copy of a message stands. `typing`/`submitted` are tmux-only. */
export const DeliveryStateSchema = z.enum([
  'queued',
  'delivering',
  'typing',
  'submitted',
  'delivered',
  'failed',
  'expired',
]);
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;

/** States after which a delivery never changes again. */
export const FINAL_DELIVERY_STATES: ReadonlySet<DeliveryState> = new Set(['delivered', 'failed', 'expired']);

/** What a session is doing, as far as the relay knows. */
export const SessionStateSchema = z.enum(['starting', 'idle', 'busy', 'waiting_input', 'offline', 'failed']);
export type SessionState = z.infer<typeof SessionStateSchema>;

export const SessionRoleSchema = z.enum(['agent', 'operator', 'observer']);
export type SessionRole = z.infer<typeof SessionRoleSchema>;

/** How a session receives messages; `remote`: it lives on another host of the bundle. */
export const TransportKindSchema = z.enum(['tmux', 'acp', 'socket', 'remote']);
export type TransportKind = z.infer<typeof TransportKindSchema>;

export const StateSourceSchema = z.enum(['hook', 'screen', 'acp', 'socket']);
export type StateSource = z.infer<typeof StateSourceSchema>;

/** One message as journaled: one id for all its recipients. */
export const MessageSchema = z.looseObject({
  id: z.string(),
  seq: z.number().int(),
  bundle: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().nullable(),
  body: z.string(),
  reply_to: z.string().nullable(),
  thread: z.string(),
  request_id: z.string().nullable(),
  created_at: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

/** One recipient's delivery record. */
export const DeliverySchema = z.looseObject({
  recipient: z.string(),
  state: DeliveryStateSchema,
  reason: z.string().nullable(),
  updated_at: z.string(),
  read_at: z.string().nullable(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

/** A message as its recipient sees it (inbox, `message.received`). */
export const InboxMessageSchema = MessageSchema.extend({
  state: DeliveryStateSchema,
  read_at: z.string().nullable(),
});
export type InboxMessage = z.infer<typeof InboxMessageSchema>;

/** A message with every recipient's delivery (history, threads). */
export const HistoryMessageSchema = MessageSchema.extend({
  deliveries: z.array(DeliverySchema),
});
export type HistoryMessage = z.infer<typeof HistoryMessageSchema>;

/** One participant as `list` shows it. */
export const SessionViewSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullable(),
  role: SessionRoleSchema,
  transport: TransportKindSchema,
  state: SessionStateSchema,
  state_source: StateSourceSchema,
  reason: z.string().nullable(),
  queued: z.number().int(),
  unread: z.number().int(),
  attached: z.boolean(),
  description: z.string().nullable(),
  /** Multi-host bundles only: the host the session lives on and whether its relay is reachable. */
  host: z.string().optional(),
  reachable: z.boolean().optional(),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

/** The one-line status snapshot (also written to `status.json`). */
export const StatusSnapshotSchema = z.looseObject({
  bundle: z.string(),
  updated_at: z.string(),
  relay: z.looseObject({ state: z.enum(['running', 'down']), pid: z.number().int().nullable() }),
  sessions: z.array(
    z.looseObject({
      id: z.string(),
      state: SessionStateSchema,
      queued: z.number().int(),
      unread: z.number().int(),
      attached: z.boolean(),
      // Why the state is what it is (e.g. `draft: …` for a blocked pane); older relays omit it.
      reason: z.string().nullable().optional(),
      /** Multi-host bundles only, for sessions on another host: that host and whether it is reachable. */
      host: z.string().optional(),
      reachable: z.boolean().optional(),
    }),
  ),
  needs_operator: z.array(z.string()),
});
export type StatusSnapshot = z.infer<typeof StatusSnapshotSchema>;
