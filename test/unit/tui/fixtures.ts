// Records and fakes for the dashboard's unit and component tests.
import type {
  HistoryMessage,
  Message,
  MethodName,
  MethodParams,
  MethodResult,
  SessionView,
} from '../../../src/core/protocol/index.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import type { RelayConnection, RelaySource } from '../../../src/tui/link/connection.js';
import { StoreBatch, emptyStore, type MessageStore } from '../../../src/tui/state/message-store.js';
import { initialRelayState, type RelayState } from '../../../src/tui/state/relay-state.js';

let counter = 0;

/** A journaled message; ids sort in creation order. */
export function message(overrides: Partial<Message> = {}): Message {
  counter += 1;
  const id = overrides.id ?? `01TEST${String(counter).padStart(20, '0')}`;
  return {
    id,
    seq: counter,
    bundle: 'crew',
    from: 'alice',
    to: ['you'],
    cc: [],
    subject: null,
    body: `message ${counter}`,
    reply_to: null,
    thread: id,
    request_id: null,
    created_at: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}

/** A history record with every recipient delivered unless told otherwise. */
export function history(
  overrides: Partial<Message> = {},
  state: HistoryMessage['deliveries'][number]['state'] = 'delivered',
): HistoryMessage {
  const base = message(overrides);
  return {
    ...base,
    deliveries: [...base.to, ...base.cc].map((recipient) => ({
      recipient,
      state,
      reason: null,
      updated_at: base.created_at,
      read_at: null,
    })),
  };
}

/** One roster entry. */
export function session(id: string, overrides: Partial<SessionView> = {}): SessionView {
  return {
    id,
    name: null,
    role: 'agent',
    transport: 'tmux',
    state: 'idle',
    state_source: 'screen',
    reason: null,
    queued: 0,
    unread: 0,
    attached: false,
    description: null,
    ...overrides,
  };
}

/** A store holding these messages (all recipients delivered). */
export function storeOf(messages: Message[], capacity?: number): MessageStore {
  const batch = new StoreBatch(emptyStore(capacity));
  for (const m of messages) batch.upsert(m, undefined, 'live');
  for (const m of messages)
    for (const r of [...m.to, ...m.cc]) batch.setDelivery(m.id, r, { state: 'delivered', reason: null }, 'live');
  return batch.finish();
}

/** A loaded RelayState for component tests. */
export function relayState(overrides: Partial<RelayState> = {}): RelayState {
  return {
    ...initialRelayState({ bundle: 'crew', self: 'you' }),
    link: 'connected',
    relayPid: 4242,
    loaded: true,
    sessions: [
      session('alice'),
      session('bob', { state: 'busy', queued: 2 }),
      session('you', { role: 'operator', transport: 'socket' }),
    ],
    ...overrides,
  };
}

type Handler = (params: unknown) => unknown;

/** A scriptable relay connection: answers from `handlers`, records every request. */
export class FakeConnection implements RelayConnection {
  readonly requests: { method: string; params: unknown }[] = [];
  private readonly notificationHandlers = new Set<(method: string, params: unknown) => void>();
  private readonly closeHandlers = new Set<() => void>();
  private closed = false;

  constructor(
    readonly relayPid: number,
    private readonly handlers: Record<string, Handler> = {},
  ) {}

  request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    return this.answer(method, params) as Promise<MethodResult<M>>;
  }

  requestOptional(method: string, params: Record<string, unknown>): Promise<unknown> {
    return this.answer(method, params);
  }

  onNotification(handler: (method: string, params: unknown) => void): () => void {
    this.notificationHandlers.add(handler);
    return () => this.notificationHandlers.delete(handler);
  }

  onClose(handler: () => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handler of this.closeHandlers) handler();
  }

  /** Pushes a notification as the relay would. */
  notify(method: string, params: unknown): void {
    for (const handler of this.notificationHandlers) handler(method, params);
  }

  private answer(method: string, params: unknown): Promise<unknown> {
    this.requests.push({ method, params });
    if (this.closed) return Promise.reject(new AgentmuxError('relay_unavailable', 'closed'));
    const handler = this.handlers[method] ?? DEFAULT_ANSWERS[method];
    if (!handler) return Promise.reject(new AgentmuxError('validation_unknown_method', `unknown method ${method}`));
    try {
      return Promise.resolve(handler(params));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

const DEFAULT_ANSWERS: Record<string, Handler> = {
  subscribe: () => ({ seq: 0, replayed: 0 }),
  list: () => ({
    bundle: 'crew',
    relay: { pid: 1, state: 'running', version: '0' },
    sessions: [session('alice'), session('you', { role: 'operator' })],
  }),
  'history.search': () => ({ messages: [] }),
  'inbox.ack': (params) => ({ acked: (params as { ids: string[] }).ids, unknown: [], unread: 0 }),
};

/** A source handing out the given connections in order (then failing). */
export class FakeSource implements RelaySource {
  readonly opened: FakeConnection[] = [];
  constructor(private readonly next: () => FakeConnection | Error) {}

  connect(): Promise<RelayConnection> {
    const value = this.next();
    if (value instanceof Error) return Promise.reject(value);
    this.opened.push(value);
    return Promise.resolve(value);
  }
}

/** Resolves after `ms`. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
