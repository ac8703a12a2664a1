// One client connection: frame parsing, the hello binding, dispatch to handlers, and
// delivery of notifications. Every failure becomes a structured error on this connection
// only; nothing a client sends can take the relay down.
import { setMaxListeners } from 'node:events';
import { hostOf, isRemote } from './bridge/hosts.js';
import { AgentmuxError, toAgentmuxError } from '../core/errors.js';
import {
  METHODS,
  MAX_LOGGED_FRAME_BYTES,
  PROTOCOL_VERSION,
  RequestFrameSchema,
  isMethodName,
  jsonRpcClassFor,
  type DeliveryState,
  type Message,
  type MethodName,
  type RequestId,
} from '../core/protocol/index.js';
import type { SocketTransport } from '../core/transport/index.js';
import type { PeerOrigin } from '../runtime/index.js';
import type { Admission } from './admission.js';
import type { MemoryRelease } from './memory-release.js';
import type { BufferedClient, OutputBudget } from './output-budget.js';
import type { SocketSubscriber } from './deliverer.js';
import { runHandler, type ParsedParams } from './handlers/table.js';
import { encodedNotice } from './encoded-notice.js';
import type { Notice } from './notifier.js';
import type { CredentialProof } from './credentials.js';
import { authorize, type Principal } from './policy.js';
import type { RelayCore } from './relay-core.js';

/** Drop a client whose unsent notifications exceed this many bytes (it stopped reading). */
export const MAX_CLIENT_BACKLOG_BYTES = 64 * 1024 * 1024;
/** Bad frames logged per connection; later ones are only answered, so a looping client cannot fill the disk. */
const MAX_LOGGED_BAD_FRAMES = 20;

/** What a connection asked to receive. */
interface Subscriptions {
  messages: boolean;
  inbox: boolean;
  events: boolean;
}

/** What the relay hands each connection besides the core. */
export interface ConnectionHooks {
  /** Counts this connection in its session's pool at hello (relay_busy when full). */
  admission: Admission;
  /** The relay-wide ceiling on output buffered for clients. */
  budget: OutputBudget;
  /** Told of every write and every drop: it hands memory back once a burst of drops is over. */
  memory: MemoryRelease;
  onClosed: (connection: ClientConnection) => void;
  /** Which agent's processes the peer belongs to (Linux); default: not asked. */
  origin?: () => Promise<PeerOrigin>;
}

interface SubscribeParams {
  messages?: boolean;
  inbox?: boolean;
  events?: boolean;
  since?: number;
  supervise?: boolean;
}

/** A connected client; also a socket subscriber once it subscribes to messages. */
export class ClientConnection implements SocketSubscriber, BufferedClient {
  readonly id: number;
  private readonly core: RelayCore;
  private readonly transport: SocketTransport;
  private principal: Principal | undefined;
  private readonly subs: Subscriptions = { messages: false, inbox: false, events: false };
  private closed = false;
  /** Aborted when the connection closes: requests still running (send --wait) stop waiting. */
  private readonly gone = new AbortController();
  private supervising = false;
  private badFrames = 0;
  private readonly hooks: ConnectionHooks;
  /** Which agent's processes the peer belongs to (Linux); asked only when it presents the operator key. */
  private readonly origin: () => Promise<PeerOrigin>;

  constructor(id: number, core: RelayCore, transport: SocketTransport, hooks: ConnectionHooks) {
    this.id = id;
    this.core = core;
    this.transport = transport;
    this.hooks = hooks;
    this.origin = hooks.origin ?? (() => Promise.resolve({ kind: 'unknown', why: 'not asked' }));
    // Every waiting request of this connection listens for its end; there may be many.
    setMaxListeners(0, this.gone.signal);
    transport.onframe = (text) => this.onFrame(text);
    transport.onoversized = (bytes) =>
      this.error(
        null,
        new AgentmuxError('validation_frame_too_large', `frame of ${bytes} bytes dropped`, { details: { bytes } }),
      );
    transport.onerror = (error) => this.core.log.warn('connection.error', { connection: id, error: error.message });
    transport.onclose = () => this.cleanup();
    transport.start();
  }

  /** The bound session, once hello succeeded. */
  get session(): string | null {
    return this.principal?.session ?? null;
  }

  /** True once hello succeeded. */
  get ready(): boolean {
    return this.principal !== undefined;
  }

  close(): void {
    this.transport.close();
  }

  /** Output queued for this client and not yet taken by the OS. */
  get bufferedBytes(): number {
    return this.transport.bufferedBytes;
  }

  /** Drops a client that cannot keep up, discarding its backlog (logged with the reason). */
  drop(reason: string, details: Record<string, unknown> = {}): void {
    if (this.closed) return;
    this.core.log.warn('connection.dropped', { connection: this.id, session: this.session, reason, ...details });
    this.transport.abort();
    this.hooks.memory.noteDrop();
  }

  /** Writes one frame, counting what it left queued against the relay-wide budget. */
  private write(frame: unknown): void {
    const before = this.transport.bufferedBytes;
    this.transport.sendNow(frame);
    this.charge(before);
  }

  private charge(bufferedBefore: number): void {
    this.hooks.memory.noteWrite();
    this.hooks.budget.charge(this.transport.bufferedBytes - bufferedBefore);
  }

  push(message: Message, state: DeliveryState, readAt: string | null): void {
    this.notify('message.received', {
      seq: this.core.notifier.stamp(),
      message: { ...message, state, read_at: readAt },
    });
  }

  /** Sends a published notice if this connection is in its audience. */
  offer(notice: Notice): void {
    if (!this.principal || this.closed) return;
    if (this.wants(notice)) this.notifyShared(notice);
  }

  private wants(notice: Notice): boolean {
    if (this.subs.events) return true;
    if (!this.subs.inbox && !this.subs.messages) return false;
    const session = this.principal?.session;
    if (session === null || session === undefined) return false;
    return (
      (notice.audience.kind === 'session' && notice.audience.session === session) || notice.alsoFor.includes(session)
    );
  }

  private notify(method: string, params: Record<string, unknown>): void {
    if (this.closed || this.stalled()) return;
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Sends a published notice as the one encoded copy every subscriber's queue shares. */
  private notifyShared(notice: Notice): void {
    if (this.closed || this.stalled()) return;
    const before = this.transport.bufferedBytes;
    this.transport.sendEncoded(encodedNotice(notice));
    this.charge(before);
  }

  /** Drops a client that stopped reading its answers; its backlog would otherwise grow without bound. */
  private stalled(): boolean {
    const buffered = this.transport.bufferedBytes;
    if (buffered <= MAX_CLIENT_BACKLOG_BYTES) return false;
    this.drop('client_backlog', { buffered_bytes: buffered, limit_bytes: MAX_CLIENT_BACKLOG_BYTES });
    return true;
  }

  private onFrame(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.error(null, new AgentmuxError('validation_invalid_frame', 'frame is not valid JSON'));
      this.badFrames += 1;
      if (this.badFrames > MAX_LOGGED_BAD_FRAMES) return;
      this.core.log.warn('connection.bad_frame', {
        connection: this.id,
        sample: text.slice(0, MAX_LOGGED_FRAME_BYTES),
      });
      return;
    }
    const frame = RequestFrameSchema.safeParse(raw);
    if (!frame.success) {
      const id = extractId(raw);
      this.error(id, new AgentmuxError('validation_invalid_frame', 'frame is not a JSON-RPC 2.0 request'));
      return;
    }
    const { id, method, params } = frame.data;
    if (id === undefined) return; // client notifications carry nothing we act on
    void this.dispatch(id, method, params).catch((error: unknown) => {
      const failure = toAgentmuxError(error);
      this.error(id, failure);
      // A hello refused for a full pool frees its slot at once instead of idling until the timeout.
      if (failure.code === 'relay_busy' && !this.principal) this.close();
    });
  }

  private async dispatch(id: RequestId, method: string, rawParams: unknown): Promise<void> {
    if (!isMethodName(method)) {
      this.error(id, new AgentmuxError('validation_unknown_method', `unknown method ${method.slice(0, 64)}`));
      return;
    }
    if (method !== 'hello' && !this.principal) {
      this.error(id, new AgentmuxError('validation_missing_hello', 'send hello before any other request'));
      return;
    }
    if (method === 'hello') checkProtocol(rawParams);
    const parsed = METHODS[method].params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      this.error(
        id,
        new AgentmuxError(
          'validation_invalid_params',
          `invalid params for ${method}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
          { details: { method, issues } },
        ),
      );
      return;
    }
    const result = await this.run(method, parsed.data);
    this.reply(id, result);
    if (method === 'relay.shutdown') this.core.requestShutdown(`requested by ${this.session ?? 'observer'}`);
    if (method === 'relay.reload' && (result as { restarting: boolean }).restarting) this.core.requestRestart();
  }

  private async run(method: MethodName, params: unknown): Promise<unknown> {
    if (method === 'hello') return await this.hello(params as Parameters<ClientConnection['hello']>[0]);
    if (method === 'subscribe') return this.subscribe(params as ParsedParams<'subscribe'>);
    const principal = this.principal as Principal;
    return runHandler(method, { core: this.core, principal, signal: this.gone.signal }, params);
  }

  private async hello(params: {
    protocol: number;
    bundle: string;
    session?: string | undefined;
    role?: Principal['role'] | undefined;
    credential?: string | undefined;
  }): Promise<unknown> {
    if (this.principal) throw new AgentmuxError('validation_duplicate_hello', 'this connection already said hello');
    const bundle = this.core.registry.bundle;
    if (params.bundle !== bundle) {
      throw new AgentmuxError('validation_unknown_bundle', `this relay serves bundle ${bundle}, not ${params.bundle}`, {
        details: { bundle: params.bundle, served: bundle },
      });
    }
    const proof = await this.provenIdentity(params.credential, params.session);
    if (this.principal) throw new AgentmuxError('validation_duplicate_hello', 'this connection already said hello');
    let principal: Principal;
    if (params.role === 'observer' || (params.role === undefined && params.session === undefined)) {
      if (params.session !== undefined) {
        throw new AgentmuxError('validation_role_mismatch', 'observers do not name a session');
      }
      principal = { session: null, role: 'observer', member: undefined, proof: proof.kind };
    } else {
      const session = params.session;
      const member = session === undefined ? undefined : this.core.registry.member(session);
      if (!member || session === undefined) {
        throw new AgentmuxError(
          'validation_unknown_session',
          `session ${session ?? '(none)'} is not a member of bundle ${bundle}`,
          {
            details: { session: session ?? null, bundle },
          },
        );
      }
      const hosts = this.core.hosts;
      if (hosts !== undefined && isRemote(hosts, session)) {
        // Its inbox and pane are on its own host; acking its copies here would fake delivery.
        throw new AgentmuxError(
          'validation_unknown_session',
          `session ${session} lives on host ${hostOf(hosts, session)}`,
          {
            hint: `act as ${session} on host ${hostOf(hosts, session)} (AGENTMUX_HOST=${hostOf(hosts, session)})`,
            details: { session, bundle, host: hostOf(hosts, session) },
          },
        );
      }
      if (params.role !== undefined && member.role !== params.role) {
        throw new AgentmuxError(
          'validation_role_mismatch',
          `session ${session} is an ${member.role}, not an ${params.role}`,
          {
            details: { session, role: member.role },
          },
        );
      }
      // The operator key may act as anyone; an agent's credential only as that agent.
      if (proof.kind === 'none' || (proof.kind === 'agent' && member.role !== 'agent')) {
        this.core.log.warn('hello.unproven', {
          connection: this.id,
          session,
          credential: params.credential !== undefined,
        });
        throw new AgentmuxError('authorization_unproven_identity', `this connection cannot prove it is ${session}`, {
          details: { session, credential: params.credential === undefined ? 'none' : "not this session's" },
        });
      }
      principal = { session, role: member.role, member, proof: proof.kind };
    }
    this.hooks.admission.bind(principal.session);
    if (principal.session !== null) this.core.registry.connectionDelta(principal.session, 1);
    this.principal = principal;
    return {
      bundle,
      session: principal.session,
      role: principal.role,
      relay: { pid: process.pid, version: this.core.version, protocol: PROTOCOL_VERSION },
    };
  }

  /**
   * What the credential proves. The operator key is readable by every process of the user, so
   * on Linux a connection presenting it from inside an agent's pane or worker counts as that
   * agent only: changing variables in a pane never yields operator rights or another identity.
   */
  private async provenIdentity(credential: string | undefined, session: string | undefined): Promise<CredentialProof> {
    const proof = this.core.credentials.prove(credential, session);
    if (proof.kind !== 'operator') return proof;
    const origin = await this.origin();
    if (origin.kind === 'unknown' && origin.why !== 'not asked') {
      this.core.log.warn('hello.peer_unknown', { connection: this.id, why: origin.why });
    }
    if (origin.kind !== 'agent') return proof;
    this.core.log.warn('hello.operator_key_from_agent', {
      connection: this.id,
      agent: origin.session,
      claimed: session,
    });
    return origin.session === session ? { kind: 'agent', session } : { kind: 'none' };
  }

  private subscribe(params: SubscribeParams): unknown {
    const principal = this.principal as Principal;
    if ((params.messages || params.inbox || params.supervise) && principal.session === null) {
      throw new AgentmuxError('authorization_forbidden', 'observers have no inbox to subscribe to');
    }
    if (params.events || params.supervise) authorize(principal, 'list');
    if (params.supervise && !this.supervising && principal.session !== null) {
      // Events for a live watcher are addressed to its session while it stays connected.
      this.supervising = true;
      this.core.supervisor.watch(principal.session, 1);
    }
    const seq = this.core.notifier.current;
    let replayed = 0;
    this.subs.inbox ||= params.inbox ?? false;
    this.subs.events ||= params.events ?? false;
    if (params.since !== undefined) {
      for (const notice of this.core.notifier.since(params.since)) {
        if (this.wants(notice)) {
          this.notifyShared(notice);
          replayed += 1;
        }
      }
    }
    if (params.messages && !this.subs.messages && principal.session !== null) {
      this.subs.messages = true;
      // Answer first, then push: the client learns its subscription before the backlog arrives.
      const session = principal.session;
      setImmediate(() => {
        if (!this.closed) this.core.router.attach(session, this);
      });
    }
    return { seq, replayed };
  }

  private reply(id: RequestId, result: unknown): void {
    if (this.closed || this.stalled()) return;
    try {
      this.write({ jsonrpc: '2.0', id, result });
    } catch (error) {
      this.error(id, toAgentmuxError(error));
    }
  }

  private error(id: RequestId | null, error: AgentmuxError): void {
    if (this.closed || this.stalled()) return;
    if (error.code === 'internal_unexpected_failure') {
      this.core.log.error('request.failed', { connection: this.id, error: error.message, stack: error.stack });
    }
    this.write({
      jsonrpc: '2.0',
      id,
      error: {
        code: jsonRpcClassFor(error.code),
        message: error.message,
        data: { code: error.code, hint: error.hint, ...(error.details ? { details: error.details } : {}) },
      },
    });
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.gone.abort();
    const session = this.principal?.session;
    if (session && this.supervising) this.core.supervisor.watch(session, -1);
    if (session) {
      if (this.subs.messages) this.core.router.detach(session, this.id);
      this.core.registry.connectionDelta(session, -1);
    }
    this.hooks.admission.release(this.principal ? { pool: this.principal.session } : undefined);
    this.hooks.onClosed(this);
  }
}

/** A client speaking another protocol version is told so, not that its params are invalid. */
function checkProtocol(rawParams: unknown): void {
  if (typeof rawParams !== 'object' || rawParams === null || !('protocol' in rawParams)) return;
  const protocol = rawParams.protocol;
  if (typeof protocol !== 'number' || protocol === PROTOCOL_VERSION) return;
  throw new AgentmuxError(
    'validation_protocol_version',
    `this relay speaks protocol ${PROTOCOL_VERSION}, the client ${protocol}`,
    { details: { client: protocol, relay: PROTOCOL_VERSION } },
  );
}

function extractId(raw: unknown): RequestId | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const id = raw.id;
  return typeof id === 'number' || (typeof id === 'string' && id.length <= 128) ? id : null;
}
