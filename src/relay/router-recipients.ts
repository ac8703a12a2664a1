// The router's per-recipient state: the open deliveries it holds in memory (a bounded page, in
// journal order) and how many more are parked in the journal behind them.
import type { DeliveryState } from '../core/protocol/index.js';
import type { SocketSubscriber } from './deliverer.js';
import type { Journal } from './journal/journal.js';

/** How many messages may await a socket client's ack at once, per recipient. */
export const SOCKET_WINDOW = 1000;
/** Open deliveries a recipient holds in memory at most; it loads more when half are done. */
export const LOADED_PER_RECIPIENT = 2 * SOCKET_WINDOW;

/** One open delivery held in memory. */
export interface Entry {
  seq: number;
  state: DeliveryState;
}

/** One recipient's delivery queue and who takes delivery for it. */
export interface Recipient {
  readonly id: string;
  /** The open deliveries held in memory, in journal order. */
  readonly entries: Map<number, Entry>;
  /** Open deliveries left in the journal: all after `loadedThrough`, none pushed or typed yet. */
  parked: number;
  /** The newest sequence taken into `entries`; every parked delivery comes after it. */
  loadedThrough: number;
  /** Every parked copy with a greater sequence is `queued` in the journal (none settled yet). */
  queuedAfter: number;
  readonly subscribers: Map<number, SocketSubscriber>;
  delivering: boolean;
  /** Interrupted attempts in a row (backs the retry off). */
  interrupted: number;
  /** The delivery a deliverer is running, so a read elsewhere can call it off before typing. */
  current: { seq: number; controller: AbortController } | undefined;
}

export function newRecipient(id: string): Recipient {
  return {
    id,
    entries: new Map(),
    parked: 0,
    loadedThrough: 0,
    queuedAfter: 0,
    subscribers: new Map(),
    delivering: false,
    interrupted: 0,
    current: undefined,
  };
}

/**
 * Moves the next parked deliveries (up to LOADED_PER_RECIPIENT held) from the journal into
 * memory; the journal must hold every write made so far.
 */
export function loadParkedPage(journal: Journal, recipient: Recipient): void {
  const limit = LOADED_PER_RECIPIENT - recipient.entries.size;
  if (limit <= 0) return;
  const page = journal.openDeliveriesOf(recipient.id, recipient.loadedThrough, limit);
  for (const open of page) {
    // `delivering` here is left from a previous run whose requeue did not commit.
    const state: DeliveryState = open.state === 'delivering' ? 'queued' : open.state;
    recipient.entries.set(open.seq, { seq: open.seq, state });
    recipient.loadedThrough = open.seq;
  }
  // A short page means the journal has no more; a full one leaves at least one more look.
  recipient.parked = page.length < limit ? 0 : Math.max(1, recipient.parked - page.length);
}
