// Notifications the relay pushes to subscribed clients. Each carries `seq`, the relay's
// notification sequence, so a reconnecting client can resume with `subscribe {since}`.
import { z } from 'zod';
import {
  DeliveryStateSchema,
  InboxMessageSchema,
  MessageSchema,
  SessionViewSchema,
  StatusSnapshotSchema,
} from './records.js';
import { PermissionRequestSchema, PermissionResolutionSchema } from './methods.js';

export const MessageReceivedSchema = z.looseObject({ seq: z.number().int(), message: InboxMessageSchema });
/** A message was journaled (for operators watching the whole bundle). */
export const MessageCreatedSchema = z.looseObject({ seq: z.number().int(), message: MessageSchema });
export const DeliveryUpdatedSchema = z.looseObject({
  seq: z.number().int(),
  message_id: z.string(),
  from: z.string(),
  recipient: z.string(),
  state: DeliveryStateSchema,
  reason: z.string().nullable(),
});
export const SessionUpdatedSchema = z.looseObject({ seq: z.number().int(), session: SessionViewSchema });
export const InboxUpdatedSchema = z.looseObject({
  seq: z.number().int(),
  unread: z.number().int(),
  message_id: z.string().optional(),
});
export const RelayStatusSchema = z.looseObject({ seq: z.number().int(), status: StatusSnapshotSchema });
/** An ACP agent asks an operator for permission (answer with `permission.approve|deny`). */
export const PermissionRequestedSchema = PermissionRequestSchema.extend({ seq: z.number().int() });
/** A permission request was answered, timed out or dropped with its turn. */
export const PermissionResolvedSchema = PermissionResolutionSchema.extend({ seq: z.number().int() });

/** Every notification with its params schema. */
export const NOTIFICATIONS = {
  'message.received': MessageReceivedSchema,
  'message.created': MessageCreatedSchema,
  'delivery.updated': DeliveryUpdatedSchema,
  'session.updated': SessionUpdatedSchema,
  'inbox.updated': InboxUpdatedSchema,
  'relay.status': RelayStatusSchema,
  'permission.requested': PermissionRequestedSchema,
  'permission.resolved': PermissionResolvedSchema,
} as const;

export type NotificationName = keyof typeof NOTIFICATIONS;
export type NotificationParams<N extends NotificationName> = z.infer<(typeof NOTIFICATIONS)[N]>;
