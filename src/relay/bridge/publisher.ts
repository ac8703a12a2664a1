// Publishes the bridge's outgoing entries to the local JetStream one at a time, in the order
// they were queued: the next goes out only once the previous is stored, and a failed publish
// is retried with the same Nats-Msg-Id, so the OUT stream holds each entry once, in order,
// whatever the leaf server does meanwhile (reference/nats-jetstream.md §3: 0 lost, 0 dup).
// Mergeable entries queued one after another while a publish was in flight go out as one
// entry (see `merge`): a burst costs one publish round trip per batch, not per message.
import type { JetStreamClient } from '@nats-io/jetstream';

export const RETRY_MS = 100;
export const RETRY_MAX_MS = 2_000;
/** How long one publish waits for its ack before it is tried again. */
export const PUBLISH_TIMEOUT_MS = 2_000;

export interface OutgoingEntry {
  subject: string;
  data: string;
  msgID: string;
  /** Called once JetStream has stored it (or reported it a duplicate of a stored one). */
  onStored?: () => void;
  /** Set on entries that may travel together with the next ones of the same subject. */
  mergeable?: boolean;
}

/** Entries merged into one at most, and their data's bytes at most (NATS takes 1 MiB a message). */
export const MAX_MERGED_ENTRIES = 200;
export const MAX_MERGED_BYTES = 256 * 1024;

/** Makes one entry of several mergeable ones (same subject, queue order). */
export type MergeEntries = (entries: OutgoingEntry[]) => Pick<OutgoingEntry, 'data' | 'msgID'>;

export class SerialPublisher {
  private readonly queue: OutgoingEntry[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private started = false;

  constructor(private readonly merge?: MergeEntries) {}

  enqueue(entry: OutgoingEntry): void {
    this.queue.push(entry);
    this.wake?.();
  }

  /** Entries queued and not yet stored. */
  get backlog(): number {
    return this.queue.length;
  }

  start(js: JetStreamClient, onRetry: (error: unknown) => void): void {
    if (this.started) return;
    this.started = true;
    void this.loop(js, onRetry);
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  private async loop(js: JetStreamClient, onRetry: (error: unknown) => void): Promise<void> {
    let delay = RETRY_MS;
    while (!this.closed) {
      const head = this.mergeHead();
      if (head === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      // Tried once, an entry is retried as it is: never merged with later ones afterwards.
      head.mergeable = false;
      try {
        await js.publish(head.subject, head.data, { msgID: head.msgID, timeout: PUBLISH_TIMEOUT_MS });
      } catch (error) {
        if (this.closed) return;
        onRetry(error);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        continue;
      }
      delay = RETRY_MS;
      this.queue.shift();
      head.onStored?.();
    }
  }

  /**
   * The head of the queue, merged with the mergeable entries of the same subject right behind
   * it. The merged entry replaces them in the queue, so a retry publishes the very same entry
   * (same data, same Nats-Msg-Id).
   */
  private mergeHead(): OutgoingEntry | undefined {
    const head = this.queue[0];
    if (head?.mergeable !== true || this.merge === undefined) return head;
    let count = 1;
    let bytes = Buffer.byteLength(head.data);
    for (; count < this.queue.length && count < MAX_MERGED_ENTRIES; count += 1) {
      const next = this.queue[count] as OutgoingEntry;
      if (next.mergeable !== true || next.subject !== head.subject) break;
      bytes += Buffer.byteLength(next.data);
      if (bytes > MAX_MERGED_BYTES) break;
    }
    if (count === 1) return head;
    const parts = this.queue.slice(0, count);
    const merged: OutgoingEntry = {
      subject: head.subject,
      ...this.merge(parts),
      onStored: () => {
        for (const part of parts) part.onStored?.();
      },
    };
    this.queue.splice(0, count, merged);
    return merged;
  }
}
