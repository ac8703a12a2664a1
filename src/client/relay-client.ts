// A connection to a bundle's relay: hello, requests with timeouts, notifications.
import { dirname } from 'node:path';
import { IDENTITY_VARIABLES, nonEmpty } from '../config/identity.js';
import { AgentmuxError, isErrorCode } from '../core/errors.js';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from '../core/protocol/limits.js';
import type {
  HelloResult,
  MethodName,
  MethodParams,
  MethodResult,
  NotificationName,
  NotificationParams,
  SessionRole,
} from '../core/protocol/index.js';
import type { ProtocolValidator } from './validator.js';
import { connectRelaySocket } from './connect-socket.js';
import { SocketTransport, encodeFrame } from '../core/transport/index.js';
import { readOperatorKey } from '../runtime/operator-key.js';

/** How long a request may wait for its answer unless the caller says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

// The frame limit protects the relay from its clients. Answers from the (trusted) relay can be
// far larger (an inbox of 100 bodies of 256 KiB), so the client only bounds them loosely.
const MAX_INCOMING_FRAME_BYTES = 256 * 1024 * 1024;

/** Who this client speaks as. */
export interface ClientIdentity {
  bundle: string;
  /** Omitted for observers. */
  session?: string;
  /** Omitted: the relay derives it (agent or operator) from the session. */
  role?: SessionRole;
  /** Omitted: $AGENTMUX_TOKEN (an agent's pane), else the bundle's operator key when readable. */
  credential?: string;
}

/** The credential a client presents when none is given: the pane's own, else the operator key. */
export function ambientCredential(socketPath: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return nonEmpty(env[IDENTITY_VARIABLES.credential]) ?? readOperatorKey(dirname(socketPath));
}

export interface RelayClientOptions {
  socketPath: string;
  identity: ClientIdentity;
  clientName: string;
  clientVersion: string;
  timeoutMs?: number;
  /** How incoming frames are checked; default: the full zod schemas (loaded on demand). */
  validator?: ProtocolValidator;
}

function credentialParam(credential: string | undefined): { credential?: string } {
  return credential === undefined ? {} : { credential };
}

interface Pending {
  method: MethodName;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type AnyHandler = (params: unknown) => void;

/** One hello'd connection to the relay. */
export class RelayClient {
  hello!: HelloResult;
  private readonly transport: SocketTransport;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Set<AnyHandler>>();
  private readonly anyHandlers = new Set<(method: string, params: unknown) => void>();
  private readonly closeHandlers = new Set<() => void>();
  private nextId = 1;
  private closed = false;
  /** Why the relay refused this connection, when it did. */
  private refusal: AgentmuxError | undefined;

  private readonly validator: ProtocolValidator;

  private constructor(transport: SocketTransport, validator: ProtocolValidator) {
    this.transport = transport;
    this.validator = validator;
    transport.onframe = (text) => this.onFrame(text);
    transport.onclose = () => this.handleClose();
    transport.onerror = () => undefined;
    transport.start();
  }

  /** Connects to the socket and says hello; fails with relay_unavailable when nobody listens. */
  static async connect(options: RelayClientOptions): Promise<RelayClient> {
    const socket = await connectRelaySocket(options.socketPath);
    const validator = options.validator ?? (await import('./zod-validator.js')).zodValidator;
    const client = new RelayClient(new SocketTransport(socket, MAX_INCOMING_FRAME_BYTES), validator);
    try {
      client.hello = await client.request(
        'hello',
        {
          protocol: PROTOCOL_VERSION,
          bundle: options.identity.bundle,
          ...(options.identity.session === undefined ? {} : { session: options.identity.session }),
          ...(options.identity.role === undefined ? {} : { role: options.identity.role }),
          ...credentialParam(options.identity.credential ?? ambientCredential(options.socketPath)),
          client: { name: options.clientName, version: options.clientVersion },
        },
        { timeoutMs: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS },
      );
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** True until the connection closes. */
  get open(): boolean {
    return !this.closed;
  }

  /** Sends a request and resolves with its validated result. */
  request<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<MethodResult<M>> {
    if (this.closed) {
      return Promise.reject(this.refusal ?? new AgentmuxError('relay_unavailable', 'the relay connection is closed'));
    }
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return new Promise<MethodResult<M>>((resolve, reject) => {
      // Encoded once: measured here, written below unchanged.
      const line = encodeFrame({ jsonrpc: '2.0', id, method, params });
      // The relay answers an oversized frame without its id (it never parses it), so this
      // request would only time out: refuse it here instead.
      const bytes = Buffer.byteLength(line) - 1;
      if (bytes > MAX_FRAME_BYTES) {
        const details = { method, bytes, max_bytes: MAX_FRAME_BYTES };
        reject(new AgentmuxError('validation_frame_too_large', `${method} request of ${bytes} bytes`, { details }));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new AgentmuxError('relay_timeout', `relay did not answer ${method} within ${timeoutMs} ms`, {
            details: { method, timeout_ms: timeoutMs },
          }),
        );
      }, timeoutMs);
      const onAbort = (): void => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new AgentmuxError('relay_timeout', `${method} was cancelled`));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: (value) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(value as MethodResult<M>);
        },
        reject: (error) => {
          options.signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
        timer,
      });
      // A false return only means the frame was buffered; it is still sent in order.
      this.transport.sendEncoded(line);
    });
  }

  /** Registers a notification handler; returns its removal. */
  on<N extends NotificationName>(method: N, handler: (params: NotificationParams<N>) => void): () => void {
    const set = this.handlers.get(method) ?? new Set<AnyHandler>();
    this.handlers.set(method, set);
    set.add(handler as AnyHandler);
    return () => set.delete(handler as AnyHandler);
  }

  /** Registers a handler for notifications this client version does not know by name. */
  onAny(handler: (method: string, params: unknown) => void): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  /** Called once when the connection closes. */
  onClose(handler: () => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  close(): void {
    this.transport.close();
  }

  private onFrame(text: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof frame.method === 'string' && frame.id === undefined) {
      this.dispatchNotification(frame.method, frame.params);
      return;
    }
    const id = frame.id;
    if (id === null && frame.error !== undefined) {
      const error = decodeError(frame.error);
      // The relay refused the whole connection (a full pool, or stopping): every request
      // on it fails with that reason, not with a lost connection.
      if (error.code === 'relay_busy' || error.code === 'relay_shutting_down') this.refusal = error;
      return;
    }
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!pending || typeof id !== 'number') return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (frame.error !== undefined) {
      pending.reject(decodeError(frame.error));
      return;
    }
    const parsed = this.validator.result(pending.method, frame.result);
    if (parsed.ok) pending.resolve(parsed.value);
    else
      pending.reject(
        new AgentmuxError('internal_unexpected_failure', `relay answered ${pending.method} with an unexpected shape`),
      );
  }

  private dispatchNotification(method: string, params: unknown): void {
    const parsed = this.validator.notification(method, params);
    if (!parsed.ok) return;
    for (const handler of this.handlers.get(method) ?? []) handler(parsed.value);
    for (const handler of this.anyHandlers) handler(method, parsed.value);
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(
        this.refusal ??
          new AgentmuxError('relay_unavailable', 'the relay connection closed before an answer arrived', {
            details: { lost_connection: true },
          }),
      );
    }
    this.pending.clear();
    for (const handler of this.closeHandlers) handler();
  }
}

/** Turns a JSON-RPC error object into an AgentmuxError with our stable code. */
export function decodeError(raw: unknown): AgentmuxError {
  const error = (raw ?? {}) as { message?: unknown; data?: { code?: unknown; details?: unknown; hint?: unknown } };
  const message = typeof error.message === 'string' ? error.message : 'relay error';
  const code = isErrorCode(error.data?.code) ? error.data.code : 'internal_unexpected_failure';
  const details =
    typeof error.data?.details === 'object' && error.data.details !== null
      ? (error.data.details as Record<string, unknown>)
      : undefined;
  const hint = typeof error.data?.hint === 'string' ? error.data.hint : undefined;
  return new AgentmuxError(code, message, { ...(details ? { details } : {}), ...(hint ? { hint } : {}) });
}
