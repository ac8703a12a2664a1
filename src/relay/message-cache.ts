// A small LRU of recently used messages, so routing does not re-read the journal for
// every delivery while memory stays bounded however large the history grows.
import type { Message } from '../core/protocol/index.js';
import type { Journal } from './journal/journal.js';

/** Messages by journal sequence, backed by the journal. */
export class MessageCache {
  private readonly journal: Journal;
  private readonly capacity: number;
  private readonly entries = new Map<number, Message>();

  constructor(journal: Journal, capacity = 2000) {
    this.journal = journal;
    this.capacity = capacity;
  }

  /** Remembers a message just journaled. */
  put(message: Message): void {
    this.entries.delete(message.seq);
    this.entries.set(message.seq, message);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** The message with this sequence, from memory or the journal. */
  get(seq: number): Message | undefined {
    const hit = this.entries.get(seq);
    if (hit) {
      this.entries.delete(seq);
      this.entries.set(seq, hit);
      return hit;
    }
    const loaded = this.journal.getMessage(seq);
    if (loaded) this.put(loaded);
    return loaded;
  }
}
