// The dashboard's connection loop: connect (auto-starting the relay), subscribe as the operator,
// load the roster and recent history, batch notifications into reducer actions, ack what the
// operator takes delivery of, and reconnect with backoff when the relay goes away.
import { ReconnectLoop } from '../../client/reconnect-loop.js';
import { AgentmuxError, toAgentmuxError } from '../../core/errors.js';
import type { HistoryMessage, LookResult, SendParams, SendResult, ThreadGetResult } from '../../core/protocol/index.js';
import { readPermissionList } from '../state/permissions.js';
import type { RelayAction } from '../state/relay-state.js';
import type { RelayConnection, RelaySource } from './connection.js';
import { decodeEvent, type RelayEvent } from './events.js';

/** Messages loaded from history when (re)connecting. */
export const DEFAULT_HISTORY_LIMIT = 500;
/** How long notifications are gathered before one reducer action applies them. */
export const DEFAULT_FLUSH_MS = 25;
/** Least time between two roster refreshes caused by delivery traffic. */
export const ROSTER_REFRESH_MS = 500;
const MAX_ACK_IDS = 1000;

/** What the dashboard can ask of the relay. */
export interface RelayActions {
  send(params: SendParams): Promise<SendResult>;
  look(target: string, lines?: number): Promise<LookResult>;
  search(query: string, limit?: number): Promise<HistoryMessage[]>;
  thread(id: string): Promise<ThreadGetResult>;
  /** Chooses `optionId`, or the agent's first allow option. */
  approve(id: string, optionId?: string): Promise<void>;
  /** Chooses the agent's reject option. */
  deny(id: string): Promise<void>;
}

export interface RelayLinkOptions {
  source: RelaySource;
  dispatch: (action: RelayAction) => void;
  historyLimit?: number;
  flushMs?: number;
  /** First and largest wait between reconnect attempts. */
  retryMs?: { first: number; max: number };
}

/** Owns the current connection; `start` once, `stop` on unmount. */
export class RelayLink {
  private readonly options: Required<RelayLinkOptions>;
  private connection: RelayConnection | undefined;
  private stopped = false;
  private started = false;
  private lastPid: number | undefined;
  private lastSeq = 0;
  private buffer: RelayEvent[] = [];
  private acks: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private rosterTimer: NodeJS.Timeout | undefined;
  private lastRoster = 0;
  private readonly loop: ReconnectLoop;

  constructor(options: RelayLinkOptions) {
    this.options = {
      historyLimit: DEFAULT_HISTORY_LIMIT,
      flushMs: DEFAULT_FLUSH_MS,
      retryMs: { first: 200, max: 2000 },
      ...options,
    };
    const { first, max } = this.options.retryMs;
    this.loop = new ReconnectLoop({
      connectOnce: () => this.connectOnce(),
      backoff: { firstMs: first, maxMs: max },
      onAttempt: (previous) => {
        const error =
          previous === undefined ? undefined : previous.error ? describe(previous.error) : 'relay connection lost';
        this.options.dispatch({
          type: 'link',
          link: this.lastPid === undefined ? 'connecting' : 'reconnecting',
          error,
        });
      },
    });
  }

  /** Starts the connection loop (once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loop.start();
  }

  /** Stops reconnecting and closes the connection. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.rosterTimer);
    this.loop.stop();
    this.connection?.close();
    this.connection = undefined;
  }

  /** The actions, bound to whatever connection is current when they are called. */
  actions(): RelayActions {
    return {
      send: async (params) => this.current().request('send', params),
      look: async (target, lines = 200) => this.current().request('look', { target, lines }),
      search: async (query, limit = 200) => (await this.current().request('history.search', { query, limit })).messages,
      thread: async (id) => this.current().request('thread.get', { id }),
      approve: (id, optionId) => this.decide('permission.approve', { id, ...(optionId ? { option: optionId } : {}) }),
      // The relay picks the agent's reject option itself.
      deny: (id) => this.decide('permission.deny', { id }),
    };
  }

  private current(): RelayConnection {
    if (!this.connection) throw new AgentmuxError('relay_unavailable', 'not connected to the relay; reconnecting');
    return this.connection;
  }

  private async decide(method: string, params: { id: string; option?: string }): Promise<void> {
    await this.current().requestOptional(method, params);
    this.options.dispatch({ type: 'permission-gone', id: params.id });
  }

  /** One pass of the loop: connect, attach, and serve until the connection closes. */
  private async connectOnce(): Promise<void> {
    const connection = await this.options.source.connect();
    if (this.stopped) {
      connection.close();
      return;
    }
    const closed = new Promise<void>((resolve) => connection.onClose(resolve));
    let failure: AgentmuxError | undefined;
    try {
      await this.attach(connection);
    } catch (caught) {
      failure = toAgentmuxError(caught);
      connection.close();
    }
    await closed;
    if (this.connection === connection) this.connection = undefined;
    this.flush();
    if (failure !== undefined) throw failure;
  }

  private async attach(connection: RelayConnection): Promise<void> {
    const sameRelay = this.lastPid === connection.relayPid;
    // A restarted relay numbers its notifications afresh, so only the same relay can replay.
    const since = sameRelay && this.lastSeq > 0 ? this.lastSeq : undefined;
    if (!sameRelay) this.lastSeq = 0;
    this.lastPid = connection.relayPid;
    this.connection = connection;
    connection.onNotification((method, params) => this.enqueue(method, params));
    const resume = since === undefined ? {} : { since };
    await connection.request('subscribe', { messages: true, events: true, ...resume }).catch(async (error: unknown) => {
      // A policy without `list` still lets the operator receive its own messages.
      if (toAgentmuxError(error).code !== 'authorization_forbidden') throw error;
      await connection.request('subscribe', { messages: true, ...resume });
    });
    this.options.dispatch({ type: 'connected', relayPid: connection.relayPid });
    // What the policy refuses (roster, history) is shown empty rather than retried forever.
    const [sessions, history, permissions] = await Promise.all([
      connection.request('list', {}).then((roster) => roster.sessions, forbiddenAs([])),
      connection
        .request('history.search', { limit: this.options.historyLimit })
        .then((h) => h.messages, forbiddenAs([])),
      connection.requestOptional('permission.list', {}).then(readPermissionList, () => null),
    ]);
    this.lastRoster = Date.now();
    this.options.dispatch({ type: 'loaded', sessions, history, permissions });
  }

  private enqueue(method: string, params: unknown): void {
    const event = decodeEvent(method, params);
    if (!event) return;
    if (event.seq > this.lastSeq) this.lastSeq = event.seq;
    if (event.kind === 'message-received') this.acks.push(event.message.id);
    this.buffer.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    this.options.dispatch({ type: 'events', events });
    this.sendAcks();
    if (events.some((event) => event.kind === 'delivery-updated' || event.kind === 'message-created')) {
      this.scheduleRoster();
    }
  }

  // Taking delivery means acking: the relay then marks the operator's copy delivered and read.
  private sendAcks(): void {
    const connection = this.connection;
    if (!connection || this.acks.length === 0) return;
    const ids = this.acks;
    this.acks = [];
    for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
      // A failed ack is pushed again by the relay after the reconnect.
      connection.request('inbox.ack', { ids: ids.slice(i, i + MAX_ACK_IDS) }).catch(() => undefined);
    }
  }

  // Queue depths change with every delivery; `session.updated` only reports state changes.
  private scheduleRoster(): void {
    if (this.rosterTimer) return;
    const wait = Math.max(0, this.lastRoster + ROSTER_REFRESH_MS - Date.now());
    this.rosterTimer = setTimeout(() => {
      this.rosterTimer = undefined;
      const connection = this.connection;
      if (!connection || this.stopped) return;
      this.lastRoster = Date.now();
      connection.request('list', {}).then(
        (roster) => {
          if (!this.stopped) this.options.dispatch({ type: 'sessions', sessions: roster.sessions });
        },
        () => undefined,
      );
    }, wait);
  }
}

function forbiddenAs<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (toAgentmuxError(error).code === 'authorization_forbidden') return fallback;
    throw error;
  };
}

function describe(error: unknown): string {
  const failure = toAgentmuxError(error);
  return `${failure.code}: ${failure.message}`;
}
