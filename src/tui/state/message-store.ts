// The dashboard's bounded window on the bundle's messages: at most `capacity` entries in
// journal order, each with every recipient's delivery state. Updates copy the store once per
// batch of events (never once per event), so a burst of thousands stays cheap.
import { FINAL_DELIVERY_STATES, type DeliveryState, type Message } from '../../core/protocol/index.js';

/** Where one recipient's copy stands. */
export interface DeliveryView {
  readonly state: DeliveryState;
  readonly reason: string | null;
}

/** One message with its deliveries, keyed by recipient. */
export interface StreamEntry {
  readonly message: Message;
  readonly deliveries: Readonly<Record<string, DeliveryView>>;
}

/** Messages in journal order (oldest first), bounded by `capacity`. */
export interface MessageStore {
  readonly ids: readonly string[];
  readonly byId: ReadonlyMap<string, StreamEntry>;
  readonly capacity: number;
}

/** How many messages the dashboard keeps by default. */
export const DEFAULT_STORE_CAPACITY = 2000;

/** An empty store. */
export function emptyStore(capacity = DEFAULT_STORE_CAPACITY): MessageStore {
  return { ids: [], byId: new Map(), capacity };
}

// Pipeline order, used to merge a history snapshot with live events without going backwards.
const RANK: Record<DeliveryState, number> = {
  queued: 0,
  delivering: 1,
  typing: 1,
  submitted: 2,
  delivered: 3,
  failed: 3,
  expired: 3,
};

/** `live` applies events in order; `merge` (snapshots) only moves a delivery forward. */
export type MergeMode = 'live' | 'merge';

/** Mutable view of a store for one batch; `finish()` returns the new immutable store. */
export class StoreBatch {
  private readonly byId: Map<string, StreamEntry>;
  private ids: string[];
  private readonly capacity: number;
  private unsorted = false;
  private changed = false;

  constructor(private readonly base: MessageStore) {
    this.byId = new Map(base.byId);
    this.ids = [...base.ids];
    this.capacity = base.capacity;
  }

  /** Adds a message (or merges deliveries into the one already known). */
  upsert(message: Message, deliveries: Record<string, DeliveryView> | undefined, mode: MergeMode): void {
    const known = this.byId.get(message.id);
    if (known) {
      if (deliveries)
        for (const [recipient, view] of Object.entries(deliveries)) this.setDelivery(message.id, recipient, view, mode);
      return;
    }
    const initial: Record<string, DeliveryView> = {};
    for (const recipient of [...message.to, ...message.cc]) initial[recipient] = { state: 'queued', reason: null };
    this.byId.set(message.id, { message, deliveries: { ...initial, ...deliveries } });
    const last = this.ids.at(-1);
    const lastSeq = last === undefined ? -Infinity : (this.byId.get(last)?.message.seq ?? -Infinity);
    if (message.seq < lastSeq) this.unsorted = true;
    this.ids.push(message.id);
    this.changed = true;
  }

  /** Sets one recipient's state; ignored for messages outside the window. Final states never change. */
  setDelivery(messageId: string, recipient: string, view: DeliveryView, mode: MergeMode): void {
    const entry = this.byId.get(messageId);
    if (!entry) return;
    const current = entry.deliveries[recipient];
    if (current) {
      if (current.state === view.state && current.reason === view.reason) return;
      if (FINAL_DELIVERY_STATES.has(current.state)) return;
      if (mode === 'merge' && RANK[view.state] < RANK[current.state]) return;
    }
    this.byId.set(messageId, { message: entry.message, deliveries: { ...entry.deliveries, [recipient]: view } });
    this.changed = true;
  }

  /** The new store (the same object when nothing changed). */
  finish(): MessageStore {
    if (!this.changed) return this.base;
    if (this.unsorted) {
      this.ids.sort((a, b) => (this.byId.get(a)?.message.seq ?? 0) - (this.byId.get(b)?.message.seq ?? 0));
    }
    if (this.ids.length > this.capacity) {
      const dropped = this.ids.slice(0, this.ids.length - this.capacity);
      for (const id of dropped) this.byId.delete(id);
      this.ids = this.ids.slice(dropped.length);
    }
    return { ids: this.ids, byId: this.byId, capacity: this.capacity };
  }
}

/** The delivery map of a history record. */
export function deliveriesOf(
  deliveries: readonly { recipient: string; state: DeliveryState; reason: string | null }[],
): Record<string, DeliveryView> {
  const views: Record<string, DeliveryView> = {};
  for (const delivery of deliveries) views[delivery.recipient] = { state: delivery.state, reason: delivery.reason };
  return views;
}
