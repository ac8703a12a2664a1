// The shared state every request handler works with, passed explicitly (no singletons).
import type { Team } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { IdFactory } from '../core/ids.js';
import type { SendResult, StatusSnapshot } from '../core/protocol/index.js';
import type { JournalBatcher } from './journal/batch-writer.js';
import type { Journal } from './journal/journal.js';
import type { RelayLog } from './log.js';
import type { Notifier } from './notifier.js';
import type { Router } from './router.js';
import type { SessionRegistry } from './session-registry.js';

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
  /** Sends with a request id that are being journaled right now, keyed by sender and id. */
  readonly inflightRequests: Map<string, { fingerprint: string; result: Promise<SendResult> }>;
  /** The current status snapshot. */
  status(): StatusSnapshot;
  /** Stops the relay after the current response has been written. */
  requestShutdown(reason: string): void;
}
