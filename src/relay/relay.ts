// The relay daemon for one bundle: wires journal, router, registry and notifier together
// and serves clients on the bundle's Unix socket.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { describeTeamChanges, type Team } from '../config/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createUlidFactory } from '../core/ids.js';
import {
  MAX_FRAME_BYTES,
  SendParamsSchema,
  jsonRpcClassFor,
  type SendResult,
  type StatusSnapshot,
} from '../core/protocol/index.js';
import { SocketTransport } from '../core/transport/index.js';
import { peerOrigin, type AgentProcessRoot, type BundlePaths } from '../runtime/index.js';
import { AgentmuxError } from '../core/errors.js';
import { Admission, type ConnectionLimits } from './admission.js';
import { ClientConnection } from './connection.js';
import { DEFAULT_OUTPUT_BUDGET_BYTES, OutputBudget } from './output-budget.js';
import type { Deliverer } from '../transports/deliverer.js';
import { TmuxTransport } from '../transports/tmux/tmux-transport.js';
import { AcpTransport } from '../transports/acp/acp-transport.js';
import { PermissionDesk } from '../transports/acp/permission-desk.js';
import { combineAgentControls } from './agent-control.js';
import { memberPrincipal, relayPermissionEvents, sessionIdStore } from './acp-wiring.js';
import { Credentials } from './credentials.js';
import { isMultiHost, localTeam, resolveHostMap, type HostMap } from './bridge/hosts.js';
import type { RelayBridge } from './bridge/nats-bridge.js';
import { buildStatus } from './handlers/roster.js';
import { handleSend } from './handlers/send.js';
import { JournalBatcher } from './journal/batch-writer.js';
import { Journal } from './journal/journal.js';
import { silentLog, type RelayLog } from './log.js';
import { MemoryRelease } from './memory-release.js';
import { MessageCache } from './message-cache.js';
import { Notifier } from './notifier.js';
import type { AgentControl, RelayCore } from './relay-core.js';
import { Router } from './router.js';
import { SessionRegistry } from './session-registry.js';
import { StatusFiles } from './status-files.js';
import { Supervisor } from './supervisor.js';

/** How long stop waits for deliveries in flight before closing the journal under them. */
export const STOP_DELIVERY_GRACE_MS = 5_000;
/** A connection that has not said hello by then is closed (half-open floods). */
export const HELLO_TIMEOUT_MS = 10_000;
/** How often a multi-host relay looks whether another host came or went (heartbeats arrive each second). */
export const HOST_WATCH_MS = 1_000;

export interface RelayOptions {
  team: Team;
  paths: BundlePaths;
  version: string;
  clock?: Clock;
  log?: RelayLog;
  /** Roots and entry point, exported to agent panes (AGENTMUX_*). */
  roots: { configDir: string; stateDir: string };
  entryPoint: string;
  synchronous?: 'NORMAL' | 'FULL';
  /** Reads the bundle's configuration again (`relay.reload`, `up`); without it nothing reloads. */
  loadTeam?: () => Team;
  /** Connection limits per pool (default DEFAULT_CONNECTION_LIMITS). */
  connectionLimits?: ConnectionLimits;
  /** Output buffered for all clients together before the slowest are dropped. */
  outputBudgetBytes?: number;
  /** The tmux transport's status poll / safety re-look interval (tests make it long). */
  tmuxSafetyPollMs?: number;
}

/** A running relay. */
export class Relay {
  readonly core: RelayCore;
  private readonly server: Server;
  private readonly paths: BundlePaths;
  private readonly connections = new Set<ClientConnection>();
  private readonly statusFiles: StatusFiles;
  private readonly tmux: TmuxTransport | undefined;
  private readonly acp: AcpTransport | undefined;
  private readonly admission: Admission;
  private readonly budget: OutputBudget;
  private readonly memory: MemoryRelease;
  private bridge: RelayBridge | undefined;
  private hostWatch: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;
  private lastRefusalLog = 0;
  private stopping: Promise<void> | undefined;
  private shutdownListeners = new Set<(reason: string) => void>();
  private restartListeners = new Set<(team: Team) => void>();
  /** The configuration a reload read and a restart will apply. */
  private reloaded: Team | undefined;

  private constructor(options: RelayOptions, journal: Journal, credentials: Credentials) {
    const clock = options.clock ?? systemClock;
    const log = options.log ?? silentLog;
    const batcher = new JournalBatcher(journal);
    const cache = new MessageCache(journal);
    const notifier = new Notifier();
    const registry = new SessionRegistry(options.team, { now: () => clock.now() });
    const deliverers: Deliverer[] = [];
    const router = new Router({
      journal,
      batcher,
      cache,
      clock,
      deliverers,
      onError: (error, context) => log.error('router.error', { context, error: String(error) }),
    });
    this.paths = options.paths;
    this.admission = new Admission(options.connectionLimits);
    this.budget = new OutputBudget(options.outputBudgetBytes ?? DEFAULT_OUTPUT_BUDGET_BYTES, () => this.connections);
    this.memory = new MemoryRelease({
      onReleased: (report) =>
        log.info('memory.released', {
          reason: 'clients_dropped',
          trigger: report.trigger,
          dropped: report.dropped,
          waited_ms: report.waitedMs,
          collect_ms: report.collectMs,
        }),
    });
    const ids = createUlidFactory(() => clock.now());
    const core: RelayCore = {
      team: options.team,
      registry,
      journal,
      batcher,
      router,
      notifier,
      clock,
      ids,
      log,
      version: options.version,
      credentials,
      agents: undefined as AgentControl | undefined,
      inflightRequests: new Map<string, { fingerprint: string; result: Promise<SendResult> }>(),
      supervisor: new Supervisor({ team: options.team, registry, journal, batcher, router, notifier, clock, ids, log }),
      status: (): StatusSnapshot => buildStatus(core),
      permissions: new PermissionDesk({
        clock,
        ids: createUlidFactory(() => clock.now()),
        ...relayPermissionEvents(notifier, log),
      }),
      submit: (from, params) => handleSend(core, memberPrincipal(registry, from), SendParamsSchema.parse(params)),
      requestShutdown: (reason) => {
        for (const listener of this.shutdownListeners) listener(reason);
      },
      reloadConfig: () => {
        const team = options.loadTeam?.() ?? options.team;
        const changes = describeTeamChanges(options.team, team);
        this.reloaded = changes.length > 0 ? team : undefined;
        return { changes };
      },
      requestRestart: () => {
        const team = this.reloaded;
        if (team === undefined) return;
        for (const listener of this.restartListeners) listener(team);
      },
    };
    this.core = core;
    this.statusFiles = new StatusFiles(
      options.paths,
      () => core.status(),
      (_status, line) => void this.tmux?.setStatusOption(line),
    );
    if (options.team.members.some((member) => member.transport === 'tmux')) {
      this.tmux = new TmuxTransport({
        team: options.team,
        paths: options.paths,
        roots: options.roots,
        entryPoint: options.entryPoint,
        credentialFor: (session) => credentials.forAgent(session),
        clock,
        conversationId: (session) => journal.conversationId(session),
        onStatus: (session, status) => registry.update(session, { ...status, source: 'screen' }),
        onReachable: (session) => router.poke(session),
        warn: (event, details) => log.warn(event, details),
        hooks: {
          state: (session) => registry.hookState(session),
          onPromptSubmitted: (listener) => registry.onPromptSubmitted(listener),
          onStateChange: (listener) => registry.onChange(listener),
        },
        ...(options.tmuxSafetyPollMs === undefined ? {} : { safetyPollMs: options.tmuxSafetyPollMs }),
      });
      deliverers.push(this.tmux);
    }
    if (options.team.members.some((member) => member.transport === 'acp')) {
      this.acp = new AcpTransport({
        team: options.team,
        roots: options.roots,
        entryPoint: options.entryPoint,
        credentialFor: (session) => credentials.forAgent(session),
        version: options.version,
        clock,
        permissions: core.permissions,
        sessionIds: sessionIdStore(journal, batcher, clock, log),
        submit: (from, reply) => core.submit(from, reply),
        onStatus: (session, state, reason) => registry.update(session, { state, reason, source: 'acp' }),
        onReachable: (session) => router.poke(session),
        log: (level, event, details) => log[level](event, details),
      });
      deliverers.push(this.acp);
    }
    core.agents = combineAgentControls(options.team.members, { tmux: this.tmux, acp: this.acp });
    router.onChange(({ message, recipient, state, reason }) => {
      notifier.publish(
        'delivery.updated',
        { message_id: message.id, from: message.from, recipient, state, reason },
        { kind: 'events' },
        [message.from],
      );
      this.statusFiles.changed();
    });
    registry.onChange((id) => {
      notifier.publish(
        'session.updated',
        { session: registry.view(id, { queued: router.queued(id), unread: router.unreadOf(id) }) },
        { kind: 'events' },
      );
      this.statusFiles.changed();
    });
    notifier.subscribe((notice) => {
      // A newly queued message changes queue and unread counts without a delivery change.
      if (notice.method === 'inbox.updated') this.statusFiles.changed();
      for (const connection of this.connections) connection.offer(notice);
    });
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => log.error('server.error', { error: error.message }));
  }

  /** Opens the journal, resumes open deliveries and listens on the bundle socket. */
  static async start(options: RelayOptions): Promise<Relay> {
    const hosts = isMultiHost(options.team) ? resolveHostMap(options.team) : undefined;
    if (hosts !== undefined) options = { ...options, team: localTeam(options.team, hosts) };
    const credentials = Credentials.open(options.paths.dir);
    const journal = Journal.open(options.paths.journal, options.team.bundle.id, {
      synchronous: options.synchronous ?? 'NORMAL',
    });
    const relay = new Relay(options, journal, credentials);
    const resumed = relay.core.router.resume();
    if (hosts !== undefined) await relay.startBridge(hosts);
    relay.core.supervisor.start();
    relay.core.log.info('relay.resumed', { open_deliveries: resumed, messages: journal.messageCount() });
    // Running agents are found before the socket opens: a `list` right after a restart must
    // not show them offline.
    await relay.tmux?.start();
    await relay.listen();
    relay.statusFiles.write();
    return relay;
  }

  /** Loads the NATS bridge (only here: a single-host relay never imports the NATS client). */
  private async startBridge(hosts: HostMap): Promise<void> {
    const url = this.core.team.bundle.hosts?.find((host) => host.id === hosts.local)?.nats;
    if (url === undefined) return;
    const { startBridge } = await import('./bridge/nats-bridge.js');
    this.core.hosts = hosts;
    this.bridge = startBridge({ core: this.core, hosts, natsUrl: url, dir: this.paths.dir });
    this.core.bridge = this.bridge;
    this.watchHosts(hosts, this.bridge);
  }

  /**
   * Reachability comes from heartbeats, not events: look at it every HOST_WATCH_MS and, when a
   * host came or went, rewrite the status files and tell subscribers (the dashboard) with `relay.status`.
   */
  private watchHosts(hosts: HostMap, bridge: RelayBridge): void {
    const others = [...hosts.hosts].filter((host) => host !== hosts.local);
    if (others.length === 0) return;
    const seen = (): string => others.map((host) => (bridge.reachable(host) ? '1' : '0')).join('');
    let last = seen();
    this.hostWatch = setInterval(() => {
      const now = seen();
      if (now === last) return;
      last = now;
      this.core.notifier.publish('relay.status', { status: this.core.status() }, { kind: 'events' });
      this.statusFiles.changed();
    }, HOST_WATCH_MS);
    this.hostWatch.unref();
  }

  /** Called when a client asks the relay to stop (`relay.shutdown`). */
  onShutdownRequested(listener: (reason: string) => void): void {
    this.shutdownListeners.add(listener);
  }

  /** Called with the new configuration when a reload found changes; the host restarts the relay with it. */
  onRestartRequested(listener: (team: Team) => void): void {
    this.restartListeners.add(listener);
  }

  /** Stops accepting, closes clients, commits the journal and removes the socket. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.core.supervisor.close();
      this.core.router.close();
      this.tmux?.close();
      await this.acp?.close();
      this.core.permissions.close();
      clearInterval(this.hostWatch);
      this.memory.stop();
      await this.bridge?.close();
      // Deliveries in flight record their outcome in the journal: let them finish first.
      if (!(await this.core.router.settled(STOP_DELIVERY_GRACE_MS))) {
        this.core.log.warn('relay.stop_deliveries_pending', { grace_ms: STOP_DELIVERY_GRACE_MS });
      }
      // server.close() resolves only once every client is gone, so close them first.
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const connection of this.connections) connection.close();
      await closed;
      this.core.batcher.close();
      this.core.journal.close();
      this.statusFiles.stop({ ...this.core.status(), relay: { state: 'down', pid: null } });
      rmSync(this.paths.socket, { force: true });
    })();
    return this.stopping;
  }

  private async listen(): Promise<void> {
    rmSync(this.paths.socket, { force: true });
    const previous = process.umask(0o077);
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(this.paths.socket, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(previous);
    }
    chmodSync(this.paths.socket, 0o600);
  }

  /** The top process of every running agent (tmux panes, ACP workers). */
  private async agentRoots(): Promise<AgentProcessRoot[]> {
    const panes = (await this.tmux?.agentRoots().catch(() => [])) ?? [];
    return [...panes, ...(this.acp?.agentRoots() ?? [])];
  }

  private accept(socket: Socket): void {
    // A peer that connects and leaves at once makes our answer fail with EPIPE: with no
    // listener that 'error' would end the relay.
    socket.on('error', () => undefined);
    const refusal = this.stopping
      ? new AgentmuxError('relay_shutting_down', 'the relay is stopping')
      : this.admission.admit();
    if (refusal) {
      this.refuse(socket, refusal);
      return;
    }
    const id = this.nextConnectionId++;
    const transport = new SocketTransport(socket, MAX_FRAME_BYTES, { pauseWhileBlocked: true });
    const connection = new ClientConnection(id, this.core, transport, {
      admission: this.admission,
      budget: this.budget,
      memory: this.memory,
      onClosed: (closed) => {
        this.connections.delete(closed);
        clearTimeout(helloTimer);
      },
      origin: () => peerOrigin(socket, () => this.agentRoots()),
    });
    this.connections.add(connection);
    const helloTimer = setTimeout(() => {
      if (!connection.ready) connection.close();
    }, HELLO_TIMEOUT_MS);
    helloTimer.unref();
  }

  /** Answers a connection we cannot take with its structured reason, then closes it. */
  private refuse(socket: Socket, error: AgentmuxError): void {
    const now = Date.now();
    // A flood of refusals is logged once a second, not once each.
    if (now - this.lastRefusalLog >= 1000) {
      this.lastRefusalLog = now;
      this.core.log.warn('connection.refused', { code: error.code, reason: error.message, ...this.admission.counts() });
    }
    const frame = {
      jsonrpc: '2.0',
      id: null,
      error: {
        code: jsonRpcClassFor(error.code),
        message: error.message,
        data: { code: error.code, hint: error.hint, ...(error.details ? { details: error.details } : {}) },
      },
    };
    socket.end(`${JSON.stringify(frame)}\n`);
    socket.destroySoon();
  }
}
