// Publishes the bridge's outgoing entries to the local JetStream one at a time, in the order
// they were queued: the next goes out only once the previous is stored, and a failed publish
// is retried with the same Nats-Msg-Id, so the OUT stream holds each entry once, in order,
// whatever the leaf server does meanwhile (reference/nats-jetstream.md §3: 0 lost, 0 dup).
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
}

export class SerialPublisher {
  private readonly queue: OutgoingEntry[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private started = false;

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
      const head = this.queue[0];
      if (head === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
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
}
