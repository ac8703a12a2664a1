// A stand-in for RelayClient: answers requests from a handler map and can be "dropped".
import type { RelayClient } from '../../../src/client/index.js';
import { AgentmuxError } from '../../../src/core/errors.js';

type Handler = (params: unknown, signal?: AbortSignal) => unknown;

/** Records requests; `drop()` behaves like the relay going away. */
export class FakeRelayClient {
  readonly requests: { method: string; params: unknown }[] = [];
  readonly hello = {
    bundle: 'team',
    session: 'alice',
    role: 'agent',
    relay: { pid: 4242, version: 'test', protocol: 1 },
  };
  private readonly listeners = new Map<string, ((params: unknown) => void)[]>();
  private readonly closeHandlers: (() => void)[] = [];
  private closed = false;
  constructor(private readonly handlers: Record<string, Handler> = {}) {}

  get open(): boolean {
    return !this.closed;
  }

  request(method: string, params: unknown, options: { signal?: AbortSignal } = {}): Promise<unknown> {
    this.requests.push({ method, params });
    if (this.closed) return Promise.reject(new AgentmuxError('relay_unavailable', 'the relay connection is closed'));
    const handler = this.handlers[method];
    if (method === 'subscribe' && !handler) return Promise.resolve({ seq: 0, replayed: 0 });
    if (method === 'inbox.fetch' && !handler) return Promise.resolve({ messages: [], unread: 0 });
    if (!handler) return Promise.reject(new AgentmuxError('validation_unknown_method', method));
    return Promise.resolve().then(() => handler(params, options.signal));
  }

  on(method: string, handler: (params: unknown) => void): () => void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), handler]);
    return () => undefined;
  }

  onClose(handler: () => void): () => void {
    this.closeHandlers.push(handler);
    return () => undefined;
  }

  /** Delivers a relay notification. */
  emit(method: string, params: unknown): void {
    for (const handler of this.listeners.get(method) ?? []) handler(params);
  }

  close(): void {
    this.drop();
  }

  drop(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handler of this.closeHandlers) handler();
  }

  asClient(): RelayClient {
    return this as unknown as RelayClient;
  }
}
