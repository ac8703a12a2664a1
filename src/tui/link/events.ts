// Relay notifications decoded into one discriminated union, so the reducer has a single
// exhaustive switch instead of string-typed handlers spread over components.
import {
  NOTIFICATIONS,
  type DeliveryState,
  type InboxMessage,
  type Message,
  type SessionView,
  type StatusSnapshot,
} from '../../core/protocol/index.js';
import { readPermissionRequest, resolvedPermissionId, type PermissionRequest } from '../state/permissions.js';

/** A notification the dashboard acts on. */
export type RelayEvent =
  | { readonly kind: 'message-created'; readonly seq: number; readonly message: Message }
  | { readonly kind: 'message-received'; readonly seq: number; readonly message: InboxMessage }
  | {
      readonly kind: 'delivery-updated';
      readonly seq: number;
      readonly messageId: string;
      readonly recipient: string;
      readonly state: DeliveryState;
      readonly reason: string | null;
    }
  | { readonly kind: 'session-updated'; readonly seq: number; readonly session: SessionView }
  | { readonly kind: 'relay-status'; readonly seq: number; readonly status: StatusSnapshot }
  | { readonly kind: 'permission-requested'; readonly seq: number; readonly request: PermissionRequest }
  | { readonly kind: 'permission-resolved'; readonly seq: number; readonly id: string };

const seqOf = (params: unknown): number => {
  const seq = typeof params === 'object' && params !== null ? (params as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isInteger(seq) ? seq : 0;
};

/** Decodes one notification; undefined for methods the dashboard ignores or malformed params. */
export function decodeEvent(method: string, params: unknown): RelayEvent | undefined {
  switch (method) {
    case 'message.created': {
      const parsed = NOTIFICATIONS['message.created'].safeParse(params);
      return parsed.success
        ? { kind: 'message-created', seq: parsed.data.seq, message: parsed.data.message }
        : undefined;
    }
    case 'message.received': {
      const parsed = NOTIFICATIONS['message.received'].safeParse(params);
      return parsed.success
        ? { kind: 'message-received', seq: parsed.data.seq, message: parsed.data.message }
        : undefined;
    }
    case 'delivery.updated': {
      const parsed = NOTIFICATIONS['delivery.updated'].safeParse(params);
      if (!parsed.success) return undefined;
      const { seq, message_id: messageId, recipient, state, reason } = parsed.data;
      return { kind: 'delivery-updated', seq, messageId, recipient, state, reason };
    }
    case 'session.updated': {
      const parsed = NOTIFICATIONS['session.updated'].safeParse(params);
      return parsed.success
        ? { kind: 'session-updated', seq: parsed.data.seq, session: parsed.data.session }
        : undefined;
    }
    case 'relay.status': {
      const parsed = NOTIFICATIONS['relay.status'].safeParse(params);
      return parsed.success ? { kind: 'relay-status', seq: parsed.data.seq, status: parsed.data.status } : undefined;
    }
    case 'permission.requested': {
      const request = readPermissionRequest(params);
      return request ? { kind: 'permission-requested', seq: seqOf(params), request } : undefined;
    }
    case 'permission.resolved':
    case 'permission.updated':
    case 'permission.expired': {
      if ((params as { state?: unknown } | null)?.state === 'pending') return undefined;
      const id = resolvedPermissionId(params);
      return id === undefined ? undefined : { kind: 'permission-resolved', seq: seqOf(params), id };
    }
    default:
      return undefined;
  }
}
