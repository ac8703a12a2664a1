// The small transport contract between the relay and its clients, shaped like the MCP
// SDK's Transport: start once, send frames, close; callbacks for frames, errors, close.
import type { Socket } from 'node:net';
import { NdjsonDecoder, encodeFrame } from './ndjson.js';

/** A bidirectional frame channel. */
export interface FrameTransport {
  /** Begins reading. Calling it twice throws. */
  start(): void;
  /** Writes one frame; resolves once it is handed to the OS (honours backpressure). */
  send(frame: unknown): Promise<void>;
  /** Closes the channel; `onclose` fires once. Safe to call more than once. */
  close(): void;
  /** A complete, parsed-as-text line. The receiver validates it. */
  onframe?: (text: string) => void;
  /** A line over the size limit was dropped (the channel stays usable). */
  onoversized?: (bytes: number) => void;
  /** A transport-level failure; `onclose` follows. */
  onerror?: (error: Error) => void;
  /** The channel closed, from either side. Fires exactly once. */
  onclose?: () => void;
}

/** NDJSON over a connected socket (Unix socket in practice). */
export class SocketTransport implements FrameTransport {
  onframe?: (text: string) => void;
  onoversized?: (bytes: number) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private readonly socket: Socket;
  private readonly decoder: NdjsonDecoder;
  private readonly pauseWhileBlocked: boolean;
  private started = false;
  private closed = false;
  /** True while writes of this turn are held for one writev at its end (see `hold`). */
  private holding = false;

  /**
   * `pauseWhileBlocked` stops reading from a peer while our writes to it are backed up, so a
   * peer that sends without reading cannot make us buffer answers without bound. Only the
   * relay side sets it: if both ends paused, a bulk sender could deadlock.
   */
  constructor(socket: Socket, maxFrameBytes: number, options: { pauseWhileBlocked?: boolean } = {}) {
    this.socket = socket;
    this.decoder = new NdjsonDecoder(maxFrameBytes);
    this.pauseWhileBlocked = options.pauseWhileBlocked ?? false;
  }

  start(): void {
    if (this.started) throw new Error('SocketTransport already started');
    this.started = true;
    this.socket.on('data', (chunk: Buffer) => {
      for (const line of this.decoder.push(chunk)) {
        if (this.closed) return;
        if (line.kind === 'line') this.onframe?.(line.text);
        else this.onoversized?.(line.bytes);
      }
    });
    this.socket.on('error', (error) => this.onerror?.(error));
    this.socket.on('close', () => this.finish());
  }

  /** Writes without waiting; returns false when the socket buffer is full. */
  sendNow(frame: unknown): boolean {
    if (this.closed) return false;
    this.hold();
    return this.afterWrite(this.socket.write(encodeFrame(frame)));
  }

  // Frames written in one turn (the answers to a batch of sends committed together, a
  // client's pipelined requests) leave in one writev when the turn's ticks are done instead
  // of one write(2) each: a system call per frame was an eighth of the relay's CPU under load.
  private hold(): void {
    if (this.holding) return;
    this.holding = true;
    this.socket.cork();
    process.nextTick(this.release);
  }

  private readonly release = (): void => {
    this.holding = false;
    this.socket.uncork();
  };

  private afterWrite(flushed: boolean): boolean {
    if (!flushed && this.pauseWhileBlocked && !this.socket.isPaused()) {
      this.socket.pause();
      this.socket.once('drain', () => {
        if (!this.closed) this.socket.resume();
      });
    }
    return flushed;
  }

  /** Like `sendNow` for a frame already encoded as one line (shared by many receivers). */
  sendEncoded(line: Buffer | string): boolean {
    if (this.closed) return false;
    this.hold();
    return this.afterWrite(this.socket.write(line));
  }

  send(frame: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error('transport closed'));
    const text = encodeFrame(frame);
    return new Promise((resolve, reject) => {
      this.socket.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Bytes queued in user space, for callers that bound their own buffering. */
  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  close(): void {
    if (this.closed) return;
    this.socket.end();
    this.socket.destroySoon();
    this.finish();
  }

  /**
   * Closes at once, discarding unsent output. `close` waits for the peer to read what is
   * queued, which a peer that stopped reading never does: its buffers would stay forever.
   */
  abort(): void {
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
