// One client connection: frame parsing, the hello binding, dispatch to handlers, and
// delivery of notifications. Every failure becomes a structured error on this connection
// only; nothing a client sends can take the relay down.
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
import type { SocketSubscriber } from './deliverer.js';
import { handleDown, handleLook, handleRaww, handleUp } from './handlers/agents.js';
import { handleHistorySearch, handleInboxAck, handleInboxFetch, handleThreadGet } from './handlers/mailbox.js';
import { handlePermissionApprove, handlePermissionDeny, handlePermissionList } from './handlers/permissions.js';
import { handleRepliesWait, handleSessionsWait } from './handlers/orchestration.js';
import { handleList } from './handlers/roster.js';
import { handleSend } from './handlers/send.js';
import { handleReload } from './handlers/reload.js';
import { handleSessionReport } from './handlers/session-report.js';
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

interface SubscribeParams {
  messages?: boolean;
  inbox?: boolean;
  events?: boolean;
  since?: number;
  supervise?: boolean;
}

/** A connected client; also a socket subscriber once it subscribes to messages. */
export class ClientConnection implements SocketSubscriber {
  readonly id: number;
  private readonly core: RelayCore;
  private readonly transport: SocketTransport;
  private principal: Principal | undefined;
  private readonly subs: Subscriptions = { messages: false, inbox: false, events: false };
  private closed = false;
  /** Aborted when the connection closes, so waits (`replies.wait`, `sessions.wait`) end with it. */
  private readonly lifetime = new AbortController();
  private supervising = false;
  private badFrames = 0;
  private readonly onClosed: (connection: ClientConnection) => void;
  /** Which agent's processes the peer belongs to (Linux); asked only when it presents the operator key. */
  private readonly origin: () => Promise<PeerOrigin>;

  constructor(
    id: number,
    core: RelayCore,
    transport: SocketTransport,
    onClosed: (connection: ClientConnection) => void,
    origin: () => Promise<PeerOrigin> = () => Promise.resolve({ kind: 'unknown', why: 'not asked' }),
  ) {
    this.id = id;
    this.origin = origin;
    this.core = core;
    this.transport = transport;
    this.onClosed = onClosed;
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

  push(message: Message, state: DeliveryState, readAt: string | null): void {
    this.notify('message.received', {
      seq: this.core.notifier.stamp(),
      message: { ...message, state, read_at: readAt },
    });
  }

  /** Sends a published notice if this connection is in its audience. */
  offer(notice: Notice): void {
    if (!this.principal || this.closed) return;
    if (this.wants(notice)) this.notify(notice.method, notice.params);
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
    if (this.closed) return;
    if (this.transport.bufferedBytes > MAX_CLIENT_BACKLOG_BYTES) {
      this.core.log.warn('connection.backlog', { connection: this.id, session: this.session });
      this.close();
      return;
    }
    this.transport.sendNow({ jsonrpc: '2.0', method, params });
  }

  /** Drops a client that stopped reading its answers; its backlog would otherwise grow without bound. */
  private stalled(): boolean {
    if (this.transport.bufferedBytes <= MAX_CLIENT_BACKLOG_BYTES) return false;
    this.core.log.warn('connection.backlog', { connection: this.id, session: this.session });
    this.close();
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
    void this.dispatch(id, method, params).catch((error: unknown) => this.error(id, toAgentmuxError(error)));
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
    const principal = this.principal as Principal;
    const core = this.core;
    switch (method) {
      case 'send':
        return handleSend(core, principal, params as Parameters<typeof handleSend>[2]);
      case 'inbox.fetch':
        return handleInboxFetch(core, principal, params as Parameters<typeof handleInboxFetch>[2]);
      case 'inbox.ack':
        return handleInboxAck(core, principal, params as Parameters<typeof handleInboxAck>[2]);
      case 'history.search':
        return handleHistorySearch(core, principal, params as Parameters<typeof handleHistorySearch>[2]);
      case 'thread.get':
        return handleThreadGet(core, principal, params as Parameters<typeof handleThreadGet>[2]);
      case 'list':
        return handleList(core, principal);
      case 'status':
        return core.status();
      case 'subscribe':
        return this.subscribe(params as SubscribeParams);
      case 'relay.shutdown':
        authorize(principal, 'lifecycle');
        return { stopping: true };
      case 'relay.reload':
        return handleReload(core, principal);
      case 'up':
        return handleUp(core, principal, params as Parameters<typeof handleUp>[2]);
      case 'down':
        return handleDown(core, principal, params as Parameters<typeof handleDown>[2]);
      case 'look':
        return handleLook(core, principal, params as Parameters<typeof handleLook>[2]);
      case 'raww':
        return handleRaww(core, principal, params as Parameters<typeof handleRaww>[2]);
      case 'session.report':
        return handleSessionReport(core, principal, params as Parameters<typeof handleSessionReport>[2]);
      case 'permission.list':
        return handlePermissionList(core, principal);
      case 'permission.approve':
        return handlePermissionApprove(core, principal, params as Parameters<typeof handlePermissionApprove>[2]);
      case 'permission.deny':
        return handlePermissionDeny(core, principal, params as Parameters<typeof handlePermissionDeny>[2]);
      case 'replies.wait':
        return handleRepliesWait(
          core,
          principal,
          params as Parameters<typeof handleRepliesWait>[2],
          this.lifetime.signal,
        );
      case 'sessions.wait':
        return handleSessionsWait(
          core,
          principal,
          params as Parameters<typeof handleSessionsWait>[2],
          this.lifetime.signal,
        );
      default: {
        const unreachable: never = method;
        throw new AgentmuxError('validation_unknown_method', `unknown method ${String(unreachable)}`);
      }
    }
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
      this.core.registry.connectionDelta(session, 1);
    }
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
          this.notify(notice.method, notice.params);
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
      this.transport.sendNow({ jsonrpc: '2.0', id, result });
    } catch (error) {
      this.error(id, toAgentmuxError(error));
    }
  }

  private error(id: RequestId | null, error: AgentmuxError): void {
    if (this.closed || this.stalled()) return;
    if (error.code === 'internal_unexpected_failure') {
      this.core.log.error('request.failed', { connection: this.id, error: error.message, stack: error.stack });
    }
    this.transport.sendNow({
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
    this.lifetime.abort();
    const session = this.principal?.session;
    if (session && this.supervising) this.core.supervisor.watch(session, -1);
    if (session) {
      if (this.subs.messages) this.core.router.detach(session, this.id);
      this.core.registry.connectionDelta(session, -1);
    }
    this.onClosed(this);
  }
}

function extractId(raw: unknown): RequestId | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const id = raw.id;
  return typeof id === 'number' || (typeof id === 'string' && id.length <= 128) ? id : null;
}
