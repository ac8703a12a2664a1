// Parser for tmux control-mode output (observed on tmux 3.3a): command replies come as
// `%begin <time> <number> <flags>` … `%end|%error <time> <number> <flags>` blocks, in the order
// the commands were sent; every other `%` line is a notification, never inside a block.

/** One finished reply block. `fromClient` is tmux's flags bit: the command came from our stdin. */
export interface ControlBlock {
  number: string;
  fromClient: boolean;
  error: boolean;
  lines: string[];
}

/** What the parser reports; each callback is optional. */
export interface ControlParserHandlers {
  onBlock?(block: ControlBlock): void;
  /** `%output %<pane> <data>`, the data decoded from tmux's octal escapes to raw bytes. */
  onOutput?(paneId: string, data: Buffer): void;
  /** `%exit [reason]`: the client is being detached. */
  onExit?(reason: string): void;
  /** Any other notification line, e.g. `%session-changed $0 main`. */
  onNotification?(line: string): void;
}

const GUARD = /^%(begin|end|error) (\d+) (\d+) (\d+)$/;
const NEWLINE = 0x0a;

/** Incremental parser: feed it stdout chunks as they arrive; lines may span chunks. */
export class ControlModeParser {
  private pending: Buffer = Buffer.alloc(0);
  private block: { number: string; flags: string; fromClient: boolean; lines: string[] } | null = null;

  constructor(private readonly handlers: ControlParserHandlers) {}

  /** Consumes one chunk of control-mode stdout. */
  push(chunk: Buffer): void {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let newline = data.indexOf(NEWLINE);
    while (newline !== -1) {
      this.line(data.subarray(0, newline));
      data = data.subarray(newline + 1);
      newline = data.indexOf(NEWLINE);
    }
    this.pending = Buffer.from(data);
  }

  private line(raw: Buffer): void {
    const text = raw.toString('utf8');
    if (this.block !== null) {
      // A reply line that merely looks like a guard (pane text) cannot carry the same number.
      const guard = GUARD.exec(text);
      if (guard !== null && guard[1] !== 'begin' && guard[3] === this.block.number && guard[4] === this.block.flags) {
        const { number, fromClient, lines } = this.block;
        this.block = null;
        this.handlers.onBlock?.({ number, fromClient, error: guard[1] === 'error', lines });
      } else {
        this.block.lines.push(text);
      }
      return;
    }
    const guard = GUARD.exec(text);
    if (guard?.[1] === 'begin') {
      const flags = guard[4] ?? '0';
      this.block = { number: guard[3] ?? '', flags, fromClient: (Number(flags) & 1) === 1, lines: [] };
      return;
    }
    if (text.startsWith('%output ')) {
      const space = raw.indexOf(0x20, 8);
      if (space === -1) return;
      this.handlers.onOutput?.(raw.subarray(8, space).toString('latin1'), decodeOctal(raw.subarray(space + 1)));
      return;
    }
    if (text === '%exit' || text.startsWith('%exit ')) {
      this.handlers.onExit?.(text.slice(6));
      return;
    }
    if (text.startsWith('%')) this.handlers.onNotification?.(text);
  }
}

/** Decodes tmux's `\ooo` escapes (used for bytes below 0x20 and for `\`) back to raw bytes. */
export function decodeOctal(escaped: Buffer): Buffer {
  if (!escaped.includes(0x5c)) return Buffer.from(escaped);
  const out = Buffer.alloc(escaped.length);
  let length = 0;
  for (let index = 0; index < escaped.length; index += 1) {
    const byte = escaped[index] ?? 0;
    const value = byte === 0x5c ? octalAt(escaped, index + 1) : -1;
    if (value === -1) {
      out[length] = byte;
    } else {
      out[length] = value & 0xff;
      index += 3;
    }
    length += 1;
  }
  return out.subarray(0, length);
}

function octalAt(buffer: Buffer, at: number): number {
  let value = 0;
  for (let index = at; index < at + 3; index += 1) {
    const byte = buffer[index];
    if (byte === undefined || byte < 0x30 || byte > 0x37) return -1;
    value = value * 8 + (byte - 0x30);
  }
  return value;
}
