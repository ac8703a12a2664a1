// One ceiling for the output the relay buffers for all its clients together. Each client is
// capped on its own, but 2,048 clients each just under that cap would still take gigabytes:
// over the budget, the clients furthest behind (the slowest readers) are dropped first.

/** Total buffered output across connections before the slowest are dropped. */
export const DEFAULT_OUTPUT_BUDGET_BYTES = 256 * 1024 * 1024;

/** A connection as the budget sees it. */
export interface BufferedClient {
  readonly id: number;
  readonly session: string | null;
  /** Output queued for this client in user space. */
  readonly bufferedBytes: number;
  /** Closes the connection at once, discarding what it had not read. */
  drop(reason: string, details: Record<string, unknown>): void;
}

/** Tracks an upper bound of all buffered output and enforces the budget. */
export class OutputBudget {
  private readonly maxBytes: number;
  private readonly clients: () => Iterable<BufferedClient>;
  // An upper bound of the true total: exact at the last count, plus everything queued since
  // (drains only lower the truth). Counting every client is O(n), so it happens only when the
  // bound crosses the budget, not on every write.
  private bound = 0;

  constructor(maxBytes: number, clients: () => Iterable<BufferedClient>) {
    this.maxBytes = maxBytes;
    this.clients = clients;
  }

  /** Records `bytes` newly queued for some client; drops the slowest clients when over budget. */
  charge(bytes: number): void {
    if (bytes <= 0) return;
    this.bound += bytes;
    if (this.bound <= this.maxBytes) return;
    const clients = [...this.clients()];
    let total = 0;
    for (const client of clients) total += client.bufferedBytes;
    if (total > this.maxBytes) {
      clients.sort((a, b) => b.bufferedBytes - a.bufferedBytes);
      for (const client of clients) {
        if (total <= this.maxBytes) break;
        const buffered = client.bufferedBytes;
        total -= buffered;
        client.drop('output_budget', {
          buffered_bytes: buffered,
          total_bytes: total + buffered,
          budget_bytes: this.maxBytes,
        });
      }
    }
    this.bound = total;
  }
}
