// NDJSON framing shared by the relay and its clients: one JSON value per `\n`-terminated
// line, with a hard size limit enforced while reading so a peer cannot make us buffer
// an unbounded line.

/** A complete line, or the notice that an over-long line was skipped. */
export type DecodedLine = { kind: 'line'; text: string } | { kind: 'oversized'; bytes: number };

/** Splits a byte stream into lines, dropping (and reporting) lines over `maxBytes`. */
export class NdjsonDecoder {
  private readonly maxBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private skippedBytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Feeds a chunk; returns the lines it completed, in order. */
  push(chunk: Buffer): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      this.finishLine(chunk.subarray(start, newline), out);
      start = newline + 1;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
    return out;
  }

  private append(part: Buffer): void {
    if (this.skipping) {
      this.skippedBytes += part.length;
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxBytes) {
      this.skipping = true;
      this.skippedBytes = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  private finishLine(tail: Buffer, out: DecodedLine[]): void {
    if (this.skipping) {
      out.push({ kind: 'oversized', bytes: this.skippedBytes + tail.length });
      this.skipping = false;
      this.skippedBytes = 0;
      return;
    }
    const total = this.pendingBytes + tail.length;
    if (total > this.maxBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      out.push({ kind: 'oversized', bytes: total });
      return;
    }
    const line =
      this.pending.length === 0 ? tail.toString('utf8') : Buffer.concat([...this.pending, tail]).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim().length > 0) out.push({ kind: 'line', text });
  }
}

/** Serialises one frame as a line. Throws on values JSON cannot represent. */
export function encodeFrame(frame: unknown): string {
  return `${JSON.stringify(frame)}\n`;
}
