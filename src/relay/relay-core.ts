// The shared state every request handler works with, passed explicitly (no singletons).
import type { Team } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { IdFactory } from '../core/ids.js';
import type { SendParams, SendResult, SessionOutcome, StatusSnapshot } from '../core/protocol/index.js';
import type { PermissionDesk } from '../transports/acp/permission-desk.js';
import type { UpRequest } from '../transports/tmux/session-launch.js';
import type { Credentials } from './credentials.js';
import type { JournalBatcher } from './journal/batch-writer.js';
import type { Journal } from './journal/journal.js';
import type { RelayLog } from './log.js';
import type { Notifier } from './notifier.js';
import type { Router } from './router.js';
import type { SessionRegistry } from './session-registry.js';
import type { Supervisor } from './supervisor.js';
import type { HostMap } from './bridge/hosts.js';

/** The multi-host bridge as handlers see it (bridge/nats-bridge.ts; absent on one host). */
export interface BridgeControl {
  /** Starts taking delivery for a session on another host (idempotent). */
  route(address: string): void;
  /** True when that host's relay was heard from lately. */
  reachable(host: string): boolean;
}

/** Starts, stops, shows and steers agents (the tmux transport). */
export interface AgentControl {
  up(request: UpRequest): Promise<SessionOutcome[]>;
  down(sessions: string[] | undefined): Promise<SessionOutcome[]>;
  /** The last lines of the agent's screen, or undefined when it is not running. */
  look(target: string, lines: number): Promise<string[] | undefined>;
  /** False when the agent is not running. */
  raww(target: string, text: string | undefined, keys: string[], enter: boolean): Promise<boolean>;
}

/** Everything a handler may touch. */
export interface RelayCore {
  readonly team: Team;
  readonly registry: SessionRegistry;
  readonly journal: Journal;
  readonly batcher: JournalBatcher;
  readonly router: Router;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly ids: IdFactory;
  readonly log: RelayLog;
  readonly version: string;
  /** The operator key and the agents' credentials, checked at hello. */
  readonly credentials: Credentials;
  /** Present when the bundle has agents the relay can start (tmux). */
  agents: AgentControl | undefined;
  /** Sends with a request id that are being journaled right now, keyed by sender and id. */
  readonly inflightRequests: Map<string, { fingerprint: string; result: Promise<SendResult> }>;
  /** Supervisor events (turn finished, waiting, exited, delivery failed) for supervising sessions. */
  readonly supervisor: Supervisor;
  /** ACP permission requests waiting for an operator. */
  readonly permissions: PermissionDesk;
  /** Journals and routes a message from member `from` through the `send` path (ACP auto-replies). */
  submit(from: string, params: SendParams): Promise<SendResult>;
  /** The current status snapshot. */
  status(): StatusSnapshot;
  /** Stops the relay after the current response has been written. */
  requestShutdown(reason: string): void;
  /**
   * Reads the configuration again: throws its problems when it is invalid (the running one
   * stays), else returns what changed; a change is applied by `requestRestart`.
   */
  reloadConfig(): { changes: string[] };
  /** Restarts the relay in place with the configuration `reloadConfig` read (agents keep running). */
  requestRestart(): void;
  /** Who lives on which host, when the bundle spans hosts. */
  hosts?: HostMap;
  /** Set once the bridge is loaded (multi-host bundles only). */
  bridge?: BridgeControl;
}
