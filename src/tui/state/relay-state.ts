// Everything the dashboard knows about the bundle, and the one reducer that changes it. Pure:
// the connection loop (relay-link.ts) turns relay traffic into these actions.
import type { HistoryMessage, SessionView } from '../../core/protocol/index.js';
import type { RelayEvent } from '../link/events.js';
import { deliveriesOf, emptyStore, StoreBatch, type MessageStore } from './message-store.js';
import type { PermissionRequest } from './permissions.js';

/** The connection as the header shows it. */
export type LinkState = 'connecting' | 'connected' | 'reconnecting';

/** The dashboard's picture of the bundle. */
export interface RelayState {
  readonly bundle: string;
  /** The operator session this dashboard speaks as. */
  readonly self: string;
  readonly link: LinkState;
  readonly relayPid: number | null;
  /** Why the last connection attempt failed, while reconnecting. */
  readonly linkError: string | null;
  /** True once the roster and recent history have been loaded at least once. */
  readonly loaded: boolean;
  readonly sessions: readonly SessionView[];
  readonly store: MessageStore;
  readonly permissions: readonly PermissionRequest[];
  /** False while the relay (or this build) does not serve `permission.list`. */
  readonly permissionsSupported: boolean;
}

/** Every change to RelayState. */
export type RelayAction =
  | { readonly type: 'link'; readonly link: Exclude<LinkState, 'connected'>; readonly error?: string | undefined }
  | { readonly type: 'connected'; readonly relayPid: number }
  | {
      readonly type: 'loaded';
      readonly sessions: readonly SessionView[];
      readonly history: readonly HistoryMessage[];
      /** Null when the relay does not serve permissions. */
      readonly permissions: readonly PermissionRequest[] | null;
    }
  | { readonly type: 'sessions'; readonly sessions: readonly SessionView[] }
  | { readonly type: 'events'; readonly events: readonly RelayEvent[] }
  | { readonly type: 'permission-gone'; readonly id: string };

/** The state before the first connection. */
export function initialRelayState(options: { bundle: string; self: string; capacity?: number }): RelayState {
  return {
    bundle: options.bundle,
    self: options.self,
    link: 'connecting',
    relayPid: null,
    linkError: null,
    loaded: false,
    sessions: [],
    store: emptyStore(options.capacity),
    permissions: [],
    permissionsSupported: false,
  };
}

/** The reducer behind useRelay. */
export function relayReducer(state: RelayState, action: RelayAction): RelayState {
  switch (action.type) {
    case 'link':
      return { ...state, link: action.link, linkError: action.error ?? null };
    case 'connected':
      return { ...state, link: 'connected', relayPid: action.relayPid, linkError: null };
    case 'loaded': {
      const batch = new StoreBatch(state.store);
      for (const message of action.history) batch.upsert(message, deliveriesOf(message.deliveries), 'merge');
      return {
        ...state,
        loaded: true,
        sessions: action.sessions,
        store: batch.finish(),
        permissions: action.permissions ?? [],
        permissionsSupported: action.permissions !== null,
      };
    }
    case 'sessions':
      return { ...state, sessions: action.sessions };
    case 'events':
      return applyEvents(state, action.events);
    case 'permission-gone':
      return { ...state, permissions: state.permissions.filter((request) => request.id !== action.id) };
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}

function applyEvents(state: RelayState, events: readonly RelayEvent[]): RelayState {
  const batch = new StoreBatch(state.store);
  let sessions = state.sessions;
  let permissions = state.permissions;
  for (const event of events) {
    switch (event.kind) {
      case 'message-created':
        batch.upsert(event.message, undefined, 'live');
        break;
      case 'message-received':
        batch.upsert(event.message, { [state.self]: { state: event.message.state, reason: null } }, 'merge');
        break;
      case 'delivery-updated':
        batch.setDelivery(event.messageId, event.recipient, { state: event.state, reason: event.reason }, 'live');
        break;
      case 'session-updated':
        sessions = upsertSession(sessions, event.session);
        break;
      case 'relay-status':
        sessions = sessions.map((session) => {
          const line = event.status.sessions.find((s) => s.id === session.id);
          if (!line) return session;
          const updated = {
            ...session,
            state: line.state,
            queued: line.queued,
            unread: line.unread,
            attached: line.attached,
          };
          // Only a multi-host relay's status names hosts; reachability changes arrive this way.
          return line.host === undefined ? updated : { ...updated, host: line.host, reachable: line.reachable };
        });
        break;
      case 'permission-requested':
        permissions = [...permissions.filter((request) => request.id !== event.request.id), event.request];
        break;
      case 'permission-resolved':
        permissions = permissions.filter((request) => request.id !== event.id);
        break;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }
  const store = batch.finish();
  if (store === state.store && sessions === state.sessions && permissions === state.permissions) return state;
  return { ...state, store, sessions, permissions };
}

function upsertSession(sessions: readonly SessionView[], session: SessionView): readonly SessionView[] {
  const index = sessions.findIndex((s) => s.id === session.id);
  if (index === -1) return [...sessions, session];
  // `session.updated` carries the registry's view, which leaves out the host `list` added.
  return sessions.map((s, i) =>
    i !== index
      ? s
      : session.host === undefined && s.host !== undefined
        ? { ...session, host: s.host, reachable: s.reachable }
        : session,
  );
}
