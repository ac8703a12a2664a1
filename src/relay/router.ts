// Per-recipient FIFO delivery. Each recipient's open deliveries are kept in journal order;
// a subscribed socket client takes them first, else a deliverer (tmux, ACP), else they wait
// in the inbox. A slow or stuck recipient never holds up another. Only deliveries someone
// can take are held in memory, a bounded page at a time; the rest stay in the journal
// ("parked") until a subscriber or deliverer comes for them, however long the inbox grows.
import { rfc3339, type Clock } from '../core/clock.js';
import { FINAL_DELIVERY_STATES, type DeliveryState, type Message } from '../core/protocol/index.js';
import type { Deliverer, DeliveryOutcome } from '../transports/deliverer.js';
import type { SocketSubscriber } from './deliverer.js';
import type { JournalBatcher } from './journal/batch-writer.js';
import type { Journal } from './journal/journal.js';
import { FinalWaits } from './final-waits.js';
import {
  LOADED_PER_RECIPIENT,
  loadParkedPage,
  newRecipient,
  SOCKET_WINDOW,
  type Entry,
  type Recipient,
} from './router-recipients.js';
import type { MessageCache } from './message-cache.js';

export { LOADED_PER_RECIPIENT, SOCKET_WINDOW } from './router-recipients.js';
/** How soon an interrupted delivery attempt is tried again; doubled per repeat, up to the max. */
export const REQUEUE_RETRY_MS = 100;
export const REQUEUE_RETRY_MAX_MS = 5000;

/** Observes every delivery state change (for notifications, status and logs). */
export type DeliveryListener = (change: {
  message: Message;
  recipient: string;
  state: DeliveryState;
  reason: string | null;
}) => void;

export interface RouterDeps {
  journal: Journal;
  batcher: JournalBatcher;
  cache: MessageCache;
  clock: Clock;
  deliverers?: Deliverer[];
  onError?: (error: unknown, context: string) => void;
}

/** Routes journaled deliveries to their recipients. */
export class Router {
  private readonly deps: RouterDeps;
  private readonly recipients = new Map<string, Recipient>();
  private readonly waits: FinalWaits;
  /** Deliveries and recoveries running now (see `settled`). */
  private readonly inflight = new Set<Promise<void>>();
  private readonly unread = new Map<string, number>();
  private readonly listeners = new Set<DeliveryListener>();
  private readonly deliverers: Deliverer[];
  private readonly abort = new AbortController();

  constructor(deps: RouterDeps) {
    this.deps = deps;
    this.deliverers = deps.deliverers ?? [];
    this.waits = new FinalWaits({
      clock: deps.clock,
      openCopies: (seq) => {
        // A final state may still sit in this turn's batch; commit it before counting.
        this.deps.batcher.flush();
        return this.deps.journal.openCopiesOf(seq);
      },
    });
    for (const [recipient, count] of deps.journal.unreadCounts()) this.unread.set(recipient, count);
  }

  /**
   * Takes up open deliveries after a restart: anything in flight goes back to the queue. They
   * stay parked in the journal; each recipient that can take delivery loads its first page.
   */
  resume(): number {
    // A relay that died mid-delivery cannot know whether the client saw the message; queue it
    // again (at-least-once; receivers drop duplicates by message id). Committed before any
    // page is loaded, so a loaded page never sees `delivering` from the previous run.
    const at = rfc3339(this.deps.clock.now());
    try {
      this.deps.journal.transaction(() => this.deps.journal.requeueInFlight(at));
    } catch (error) {
      this.deps.onError?.(error, 'resume');
    }
    let count = 0;
    for (const [id, open] of this.deps.journal.openCountsByRecipient()) {
      const recipient = this.recipient(id);
      recipient.parked += open.count;
      // Some may be half-typed: their state is read from the journal, not assumed.
      recipient.queuedAfter = Math.max(recipient.queuedAfter, open.last);
      count += open.count;
    }
    for (const recipient of this.recipients.values()) this.pump(recipient);
    return count;
  }

  /** Adds a listener for delivery changes; returns its removal. */
  onChange(listener: DeliveryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues a journaled message for each recipient and starts delivery. */
  enqueue(message: Message, recipients: readonly string[]): void {
    this.deps.cache.put(message);
    for (const id of recipients) {
      const recipient = this.recipient(id);
      this.unread.set(id, (this.unread.get(id) ?? 0) + 1);
      // A copy added to an older message (bridged) would never be paged in: hold it now.
      if (message.seq <= recipient.loadedThrough) {
        recipient.entries.set(message.seq, { seq: message.seq, state: 'queued' });
      } else if (
        recipient.parked === 0 &&
        recipient.entries.size < LOADED_PER_RECIPIENT &&
        this.takesDelivery(recipient)
      ) {
        recipient.entries.set(message.seq, { seq: message.seq, state: 'queued' });
        recipient.loadedThrough = message.seq;
      } else {
        recipient.parked += 1;
      }
    }
    for (const id of recipients) this.pump(this.recipient(id));
  }

  /** The current state of one recipient's copy. */
  stateOf(seq: number, recipient: string): { state: DeliveryState; reason: string | null } {
    const held = this.recipients.get(recipient);
    const open = held?.entries.get(seq);
    if (open) return { state: open.state, reason: null };
    // A parked copy newer than any settled while parked is queued: `send` answers without a read.
    if (held && held.parked > 0 && seq > held.loadedThrough && seq > held.queuedAfter) {
      return { state: 'queued', reason: null };
    }
    // A final state may still sit in this turn's batch; commit it before reading.
    this.deps.batcher.flush();
    const record = this.deps.journal.deliveryOf(seq, recipient);
    return { state: record?.state ?? 'queued', reason: record?.reason ?? null };
  }

  /** Open deliveries waiting for a recipient. */
  queued(recipient: string): number {
    const held = this.recipients.get(recipient);
    return held ? held.entries.size + held.parked : 0;
  }

  /** Open deliveries of a recipient held in memory (the rest are parked in the journal). */
  loaded(recipient: string): number {
    return this.recipients.get(recipient)?.entries.size ?? 0;
  }

  /** Unread messages of a recipient. */
  unreadOf(recipient: string): number {
    return this.unread.get(recipient) ?? 0;
  }

  /** A socket client starts taking delivery for `session`. */
  attach(session: string, subscriber: SocketSubscriber): void {
    const recipient = this.recipient(session);
    recipient.subscribers.set(subscriber.id, subscriber);
    // Everything already pushed to earlier subscribers is offered to the new one too.
    for (const entry of recipient.entries.values()) {
      if (entry.state !== 'delivering') continue;
      const message = this.deps.cache.get(entry.seq);
      if (message) subscriber.push(message, entry.state, null);
    }
    this.pump(recipient);
  }

  /** A socket client stops taking delivery; unacked messages go back to the queue. */
  detach(session: string, subscriberId: number): void {
    const recipient = this.recipients.get(session);
    if (!recipient?.subscribers.delete(subscriberId) || recipient.subscribers.size > 0) return;
    for (const entry of recipient.entries.values()) {
      if (entry.state === 'delivering') this.setState(recipient, entry, 'queued', null);
    }
    this.pump(recipient);
  }

  /**
   * Completes deliveries the recipient has read (ack, or fetch with mark_read). A copy still
   * queued is completed and leaves the queue; one a deliverer is typing finishes on its own.
   */
  markRead(recipientId: string, seqs: readonly number[]): void {
    const recipient = this.recipient(recipientId);
    const at = rfc3339(this.deps.clock.now());
    let reads = 0;
    const readOnly: number[] = [];
    let flushed = false;
    for (const seq of new Set(seqs)) {
      const entry = recipient.entries.get(seq);
      if (entry && (entry.state === 'queued' || entry.state === 'delivering')) {
        // Read elsewhere (e.g. handed back by `ask`) while the deliverer still waits for the pane
        // to be ready: call it off, or the same text would be typed into the pane as well.
        if (entry.state === 'queued' && recipient.current?.seq === seq) recipient.current.controller.abort();
        this.finish(recipient, entry, 'delivered', null, true);
        reads += 1;
        continue;
      }
      // Finished or still being typed: count it only if the journal has it unread (a copy
      // fetched twice while typing must not be counted twice). Earlier writes of this turn
      // must be visible before the journal is read.
      if (!flushed) this.deps.batcher.flush();
      flushed = true;
      const record = this.deps.journal.deliveryOf(seq, recipientId);
      if (!record) continue;
      if (!entry && this.isParked(recipient, seq, record.state)) {
        // Parked in the journal: completed like a queued copy in memory.
        this.finishParked(recipient, seq, 'delivered', null, true);
        if (record.read_at === null) reads += 1;
        continue;
      }
      if (record.read_at !== null) continue;
      readOnly.push(seq);
      reads += 1;
    }
    if (reads === 0) return;
    this.unread.set(recipientId, Math.max(0, (this.unread.get(recipientId) ?? 0) - reads));
    // Completed copies free the socket window (and the head of a pane queue).
    this.pump(recipient);
    if (readOnly.length === 0) return;
    void this.deps.batcher
      .write(() => {
        for (const seq of readOnly) this.deps.journal.markRead(recipientId, seq, at);
      })
      .catch((error: unknown) => this.deps.onError?.(error, 'markRead'));
  }

  /**
   * Resolves when every delivery of `seq` is final, or after `timeoutMs`, or when `signal`
   * aborts (its client went away) or the router closes: true only if all are final.
   */
  waitForFinal(seq: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.waits.wait(seq, timeoutMs, signal);
  }

  /**
   * Settles a copy another host's relay delivered or failed (a bridged report); a copy no
   * longer open (settled already, or read meanwhile) is left as it is.
   */
  settleRemote(recipientId: string, seq: number, state: 'delivered' | 'failed', reason: string | null): void {
    const recipient = this.recipients.get(recipientId);
    if (!recipient) return;
    const entry = recipient.entries.get(seq);
    if (!entry) {
      if (seq <= recipient.loadedThrough) return;
      this.deps.batcher.flush();
      const record = this.deps.journal.deliveryOf(seq, recipientId);
      if (!record || !this.isParked(recipient, seq, record.state)) return;
      if (state === 'delivered') this.markRead(recipientId, [seq]);
      else this.finishParked(recipient, seq, 'failed', reason, false);
      return;
    }
    if (state === 'delivered') {
      this.markRead(recipientId, [seq]);
      return;
    }
    this.finish(recipient, entry, 'failed', reason, false);
    this.pump(recipient);
  }

  /** Re-evaluates a recipient, e.g. after its pane became ready or its transport changed. */
  poke(recipientId: string): void {
    this.pump(this.recipient(recipientId));
  }

  /** Stops deliverers (they requeue what they were doing). */
  close(): void {
    this.abort.abort();
    this.waits.close();
  }

  /**
   * Resolves once every delivery in flight has finished (they stop early after `close`), or
   * after `timeoutMs`; true if they all finished. The journal must outlive them.
   */
  async settled(timeoutMs: number): Promise<boolean> {
    if (this.inflight.size === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([Promise.allSettled([...this.inflight]).then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keeps a delivery's promise until it settles; a failure is reported, never left unhandled. */
  private track(delivery: Promise<void>, recipient: Recipient): void {
    const tracked = delivery.catch((error: unknown) => this.deps.onError?.(error, `delivery to ${recipient.id}`));
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  private recipient(id: string): Recipient {
    let recipient = this.recipients.get(id);
    if (!recipient) {
      recipient = newRecipient(id);
      this.recipients.set(id, recipient);
    }
    return recipient;
  }

  /** Whether anyone takes delivery for this recipient now (else its deliveries can stay parked). */
  private takesDelivery(recipient: Recipient): boolean {
    return recipient.subscribers.size > 0 || this.deliverers.some((d) => d.handles(recipient.id));
  }

  /** A copy not held in memory that is still queued in the journal (not typed, not final). */
  private isParked(recipient: Recipient, seq: number, state: DeliveryState): boolean {
    return seq > recipient.loadedThrough && (state === 'queued' || state === 'delivering');
  }

  /** Loads the next page of parked deliveries once half of those held are done. */
  private loadParked(recipient: Recipient): void {
    if (recipient.parked === 0 || recipient.entries.size > LOADED_PER_RECIPIENT / 2) return;
    if (!this.takesDelivery(recipient)) return;
    // Writes of this turn (a parked copy read meanwhile) must be visible to the query.
    this.deps.batcher.flush();
    loadParkedPage(this.deps.journal, recipient);
  }

  private pump(recipient: Recipient): void {
    if (this.abort.signal.aborted) return;
    this.loadParked(recipient);
    if (recipient.entries.size === 0) return;
    if (recipient.subscribers.size > 0) {
      this.pumpSocket(recipient);
      return;
    }
    if (recipient.delivering) return;
    const deliverer = this.deliverers.find((d) => d.handles(recipient.id));
    if (!deliverer) return;
    const head = recipient.entries.values().next();
    if (head.done) return;
    if (head.value.state === 'queued') this.track(this.runDeliverer(recipient, head.value, deliverer), recipient);
    else if (head.value.state === 'typing' || head.value.state === 'submitted')
      this.track(this.runRecovery(recipient, head.value, deliverer), recipient);
  }

  private pumpSocket(recipient: Recipient): void {
    let inFlight = 0;
    for (const entry of recipient.entries.values()) {
      if (entry.state === 'delivering') inFlight += 1;
    }
    for (const entry of recipient.entries.values()) {
      if (inFlight >= SOCKET_WINDOW) return;
      if (entry.state !== 'queued') continue;
      const message = this.deps.cache.get(entry.seq);
      if (!message) continue;
      this.setState(recipient, entry, 'delivering', null);
      for (const subscriber of recipient.subscribers.values()) subscriber.push(message, 'delivering', null);
      inFlight += 1;
    }
  }

  private async runDeliverer(recipient: Recipient, entry: Entry, deliverer: Deliverer): Promise<void> {
    const message = this.deps.cache.get(entry.seq);
    if (!message) return;
    recipient.delivering = true;
    const controller = new AbortController();
    const onClose = (): void => controller.abort();
    this.abort.signal.addEventListener('abort', onClose, { once: true });
    recipient.current = { seq: entry.seq, controller };
    let outcome: DeliveryOutcome;
    try {
      outcome = await deliverer.deliver(
        recipient.id,
        message,
        (state) => {
          if (recipient.entries.get(entry.seq) === entry) this.setState(recipient, entry, state, null);
        },
        controller.signal,
      );
    } catch (error) {
      this.deps.onError?.(error, `deliver to ${recipient.id}`);
      outcome = { state: 'queued', reason: 'interrupted' };
    } finally {
      recipient.delivering = false;
      recipient.current = undefined;
      this.abort.signal.removeEventListener('abort', onClose);
    }
    const calledOff = recipient.entries.get(entry.seq) !== entry;
    if (recipient.entries.get(entry.seq) === entry) {
      if (outcome.state === 'queued' && (entry.state === 'typing' || entry.state === 'submitted')) {
        // Past `typing` the text may be in the pane (an interrupted command may have run):
        // never queue it to be typed again; recovery looks for it and Enters it or fails it.
        this.pump(recipient);
        return;
      }
      if (outcome.state === 'queued') this.setState(recipient, entry, 'queued', outcome.reason ?? null);
      else this.finish(recipient, entry, outcome.state, outcome.reason ?? null, false);
      // A completed delivery counts as read (DESIGN.md Settled detail 6).
      if (outcome.state === 'delivered') this.markRead(recipient.id, [entry.seq]);
    }
    // A delivery called off because its message was read elsewhere moves straight to the next.
    if (outcome.state !== 'queued' || calledOff) {
      recipient.interrupted = 0;
      this.pump(recipient);
    }
    // An interrupted attempt is retried soon, without waiting for the transport to poke us.
    else if (outcome.reason !== undefined) this.retrySoon(recipient);
  }

  private retrySoon(recipient: Recipient): void {
    if (this.abort.signal.aborted) return;
    const delay = Math.min(REQUEUE_RETRY_MS * 2 ** recipient.interrupted, REQUEUE_RETRY_MAX_MS);
    recipient.interrupted += 1;
    this.deps.clock.setTimeout(() => this.pump(recipient), delay);
  }

  private async runRecovery(recipient: Recipient, entry: Entry, deliverer: Deliverer): Promise<void> {
    const message = this.deps.cache.get(entry.seq);
    if (!message) return;
    recipient.delivering = true;
    let outcome: DeliveryOutcome;
    try {
      outcome = deliverer.recover
        ? await deliverer.recover(recipient.id, message)
        : { state: 'failed', reason: 'interrupted' };
    } catch (error) {
      this.deps.onError?.(error, `recover ${recipient.id}`);
      outcome = { state: 'failed', reason: 'interrupted' };
    } finally {
      recipient.delivering = false;
    }
    if (recipient.entries.get(entry.seq) === entry) {
      // A half-typed message is never typed again: it either arrived or it failed.
      this.finish(
        recipient,
        entry,
        outcome.state === 'delivered' ? 'delivered' : 'failed',
        outcome.reason ?? null,
        false,
      );
    }
    this.pump(recipient);
  }

  private setState(recipient: Recipient, entry: Entry, state: DeliveryState, reason: string | null): void {
    if (FINAL_DELIVERY_STATES.has(state)) {
      this.finish(recipient, entry, state, reason, false);
      return;
    }
    entry.state = state;
    this.record(recipient.id, entry.seq, state, reason, false);
  }

  private finish(recipient: Recipient, entry: Entry, state: DeliveryState, reason: string | null, read: boolean): void {
    recipient.entries.delete(entry.seq);
    entry.state = state;
    this.record(recipient.id, entry.seq, state, reason, read);
    this.waits.settled(entry.seq);
  }

  /** Completes a copy parked in the journal (read, or failed on another host). */
  private finishParked(recipient: Recipient, seq: number, state: DeliveryState, reason: string | null, read: boolean) {
    recipient.parked = Math.max(0, recipient.parked - 1);
    recipient.queuedAfter = Math.max(recipient.queuedAfter, seq);
    this.record(recipient.id, seq, state, reason, read);
    this.waits.settled(seq);
  }

  private record(recipient: string, seq: number, state: DeliveryState, reason: string | null, read: boolean): void {
    const at = rfc3339(this.deps.clock.now());
    void this.deps.batcher
      .write(() => this.deps.journal.updateDelivery({ seq, recipient, state, reason, at, read }))
      .catch((error: unknown) => this.deps.onError?.(error, 'record delivery'));
    const message = this.deps.cache.get(seq);
    if (!message) return;
    for (const listener of this.listeners) listener({ message, recipient, state, reason });
  }
}
