// Numbers every notification and keeps a bounded replay ring, so a client that reconnects
// with `subscribe {since}` misses nothing the relay still remembers.

/** Who a notification is for: every event subscriber, or one session's inbox listeners. */
export type Audience = { kind: 'events' } | { kind: 'session'; session: string };

/** A published notification. */
export interface Notice {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  audience: Audience;
  /** Sessions that also get it through their inbox subscription (e.g. the sender of a message). */
  alsoFor: readonly string[];
}

/** Receives every notice as it is published. */
export type NoticeSink = (notice: Notice) => void;

/** Replay memory is bounded by count and by (estimated) bytes: bodies may be 256 KiB each. */
export const DEFAULT_RING_NOTICES = 10_000;
export const DEFAULT_RING_BYTES = 16 * 1024 * 1024;

/** A rough size of a notice: message bodies dominate, the rest is small. */
function estimateSize(params: Record<string, unknown>): number {
  const message = params.message as { body?: unknown } | undefined;
  return 512 + (typeof message?.body === 'string' ? message.body.length * 2 : 0);
}

/** Sequence counter plus replay ring. */
export class Notifier {
  private seq = 0;
  // A queue with a moving head, compacted now and then: O(1) amortised per notice. Slots
  // behind the head are emptied at once: until the next compaction they would otherwise keep
  // every forgotten notice (and its 256 KiB body and encoded copy) alive.
  private ring: ({ notice: Notice; size: number } | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  private readonly capacity: number;
  private readonly maxBytes: number;
  private readonly sinks = new Set<NoticeSink>();

  constructor(capacity = DEFAULT_RING_NOTICES, maxBytes = DEFAULT_RING_BYTES) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** The sequence of the newest notice. */
  get current(): number {
    return this.seq;
  }

  /** Adds a sink; returns its removal. */
  subscribe(sink: NoticeSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Allocates a sequence number for a notification that is not kept for replay. */
  stamp(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Numbers, remembers and fans out one notification. */
  publish(
    method: string,
    params: Record<string, unknown>,
    audience: Audience,
    alsoFor: readonly string[] = [],
  ): Notice {
    this.seq += 1;
    const notice: Notice = { seq: this.seq, method, params: { ...params, seq: this.seq }, audience, alsoFor };
    const size = estimateSize(params);
    this.ring.push({ notice, size });
    this.bytes += size;
    while (
      this.ring.length - this.head > this.capacity ||
      (this.bytes > this.maxBytes && this.ring.length - this.head > 1)
    ) {
      this.bytes -= this.ring[this.head]?.size ?? 0;
      this.ring[this.head] = undefined;
      this.head += 1;
    }
    if (this.head > 4096) {
      this.ring = this.ring.slice(this.head);
      this.head = 0;
    }
    for (const sink of this.sinks) sink(notice);
    return notice;
  }

  /** Remembered notices after `since`, oldest first. */
  since(since: number): Notice[] {
    const kept: Notice[] = [];
    for (let i = this.head; i < this.ring.length; i += 1) {
      const entry = this.ring[i];
      if (entry && entry.notice.seq > since) kept.push(entry.notice);
    }
    return kept;
  }
}
