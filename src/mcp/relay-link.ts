// The MCP server's one connection to its relay. It subscribes with `{inbox: true}` only (it
// never takes delivery, Settled 6), reconnects on the next tool call after the relay went
// away (auto-starting it like the CLI), and, while a client watches the inbox resource, also
// retries in the background without auto-starting so updates resume when the relay is back.
import type { RelayClient } from '../client/index.js';
import { ReconnectLoop } from '../client/reconnect-loop.js';
import { AgentmuxError } from '../core/errors.js';
import type { MethodName, MethodParams, MethodResult } from '../core/protocol/index.js';

/** Default pause between background reconnect attempts. */
export const DEFAULT_RECONNECT_MS = 1_000;

/** What the link needs from the server: how to open a client and whom to tell about changes. */
export interface RelayLinkOptions {
  /** Opens a hello'd client; `autoStart` false for background reconnects. */
  open: (autoStart: boolean) => Promise<RelayClient>;
  /** Whether tool calls may start a relay (`--no-autostart` says no). */
  autoStart: boolean;
  /** The relay reported new mail, or a reconnect may have missed some. */
  onInboxChanged: () => void;
  /** After every successful connect (e.g. to re-read the policy). */
  onConnected?: () => void;
  /** True while someone wants inbox updates, so background reconnects are worth it. */
  watching: () => boolean;
  log: (line: string) => void;
  reconnectMs?: number;
}

/** True for the error a request gets when the connection dropped under it. */
export function isLostConnection(error: unknown): boolean {
  return error instanceof AgentmuxError && error.code === 'relay_unavailable';
}

/** A lazily (re)connected relay client shared by every tool call. */
export class RelayLink {
  private client: RelayClient | undefined;
  private connecting: { promise: Promise<RelayClient>; autoStart: boolean } | undefined;
  private everConnected = false;
  private closed = false;
  private readonly options: RelayLinkOptions;
  // Background reconnects: only while someone watches, never auto-starting the relay.
  private readonly background: ReconnectLoop;

  constructor(options: RelayLinkOptions) {
    this.options = options;
    const every = options.reconnectMs ?? DEFAULT_RECONNECT_MS;
    this.background = new ReconnectLoop({
      connectOnce: async () => {
        const client = await this.connect(false);
        await new Promise<void>((resolve) => {
          client.onClose(resolve);
          if (!client.open) resolve();
        });
      },
      backoff: { firstMs: every, maxMs: every },
      wanted: () => !this.closed && this.options.watching(),
      keepProcessAlive: false,
    });
  }

  /** The relay's hello, when connected. */
  get hello(): RelayClient['hello'] | undefined {
    return this.client?.open ? this.client.hello : undefined;
  }

  /** A live client, connecting (and auto-starting unless told not to) when needed. */
  async connect(autoStart = this.options.autoStart): Promise<RelayClient> {
    if (this.client?.open) return this.client;
    const pending = this.connecting;
    if (pending) {
      // A background attempt must not stop a tool call from starting the relay.
      if (pending.autoStart || !autoStart) return pending.promise;
      await pending.promise.catch(() => undefined);
      if (this.client?.open) return this.client;
    }
    const promise = this.open(autoStart);
    this.connecting = { promise, autoStart };
    try {
      return await promise;
    } finally {
      if (this.connecting?.promise === promise) this.connecting = undefined;
    }
  }

  /** Sends a request; with `retry`, reconnects and sends it once more after a lost connection. */
  async request<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    options: { timeoutMs: number; signal?: AbortSignal; retry: boolean },
  ): Promise<MethodResult<M>> {
    const send = async (): Promise<MethodResult<M>> => {
      const client = await this.connect();
      return client.request(method, params, {
        timeoutMs: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    };
    try {
      return await send();
    } catch (error) {
      if (!options.retry || !isLostConnection(error) || options.signal?.aborted) throw error;
      return send();
    }
  }

  /** My unread count, straight from the relay (panes mark mail read without telling us). */
  async unread(options: { timeoutMs: number; signal?: AbortSignal }): Promise<number> {
    const result = await this.request(
      'inbox.fetch',
      { unread_only: true, limit: 1, mark_read: false },
      { ...options, retry: true },
    );
    return result.unread;
  }

  /** Starts background reconnects if the relay is gone and someone is watching. */
  watch(): void {
    if (!this.closed && this.options.watching()) void this.background.start();
  }

  /** Closes the connection and stops reconnecting. */
  close(): void {
    this.closed = true;
    this.background.stop();
    this.client?.close();
    this.client = undefined;
  }

  private async open(autoStart: boolean): Promise<RelayClient> {
    const client = await this.options.open(autoStart);
    try {
      if (this.closed) throw new AgentmuxError('relay_unavailable', 'the MCP server is closing');
      client.on('inbox.updated', () => this.options.onInboxChanged());
      await client.request('subscribe', { inbox: true });
    } catch (error) {
      client.close();
      throw error;
    }
    client.onClose(() => {
      if (this.client === client) this.client = undefined;
      if (!this.closed) this.options.log('relay connection closed; reconnecting on the next tool call');
      this.watch();
    });
    this.client = client;
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.options.onConnected?.();
    // Mail may have arrived while we were away, or before a watcher's first connect finished:
    // let watchers re-read.
    if (reconnected || this.options.watching()) this.options.onInboxChanged();
    return client;
  }
}
