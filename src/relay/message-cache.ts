// A small LRU of recently used messages, so routing does not re-read the journal for
// every delivery while memory stays bounded however large the history grows.
import type { Message } from '../core/protocol/index.js';
import type { Journal } from './journal/journal.js';

/** Bodies may be 256 KiB each: the cache is bounded by their size as well as their count. */
export const DEFAULT_CACHE_MESSAGES = 2000;
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/** A rough size of a cached message: its body dominates (two bytes per UTF-16 unit at most). */
function sizeOf(message: Message): number {
  return 512 + message.body.length * 2;
}

/** Messages by journal sequence, backed by the journal. */
export class MessageCache {
  private readonly journal: Journal;
  private readonly capacity: number;
  private readonly maxBytes: number;
  private readonly entries = new Map<number, { message: Message; size: number }>();
  private bytes = 0;

  constructor(journal: Journal, capacity = DEFAULT_CACHE_MESSAGES, maxBytes = DEFAULT_CACHE_BYTES) {
    this.journal = journal;
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** Estimated bytes held, for tests and status. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Remembers a message just journaled. */
  put(message: Message): void {
    this.remove(message.seq);
    const size = sizeOf(message);
    this.entries.set(message.seq, { message, size });
    this.bytes += size;
    // The newest entry always stays, whatever its size.
    while (this.entries.size > 1 && (this.entries.size > this.capacity || this.bytes > this.maxBytes)) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.remove(oldest.value);
    }
  }

  /** The message with this sequence, from memory or the journal. */
  get(seq: number): Message | undefined {
    const hit = this.entries.get(seq);
    if (hit) {
      this.entries.delete(seq);
      this.entries.set(seq, hit);
      return hit.message;
    }
    const loaded = this.journal.getMessage(seq);
    if (loaded) this.put(loaded);
    return loaded;
  }

  private remove(seq: number): void {
    const entry = this.entries.get(seq);
    if (!entry) return;
    this.entries.delete(seq);
    this.bytes -= entry.size;
  }
}
