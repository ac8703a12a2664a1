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

/** Sequence counter plus replay ring. */
export class Notifier {
  private seq = 0;
  // A circular buffer: `ring[(start + i) % capacity]` is the i-th oldest kept notice.
  private readonly ring: Notice[] = [];
  private start = 0;
  private readonly capacity: number;
  private readonly sinks = new Set<NoticeSink>();

  constructor(capacity = 10_000) {
    this.capacity = capacity;
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
    if (this.ring.length < this.capacity) {
      this.ring.push(notice);
    } else {
      this.ring[this.start] = notice;
      this.start = (this.start + 1) % this.capacity;
    }
    for (const sink of this.sinks) sink(notice);
    return notice;
  }

  /** Remembered notices after `since`, oldest first. */
  since(since: number): Notice[] {
    const ordered = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return ordered.filter((notice) => notice.seq > since);
  }
}
