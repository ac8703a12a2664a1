// A bare socket to the relay for tests that need many connections or exact frames: no client
// library, no validation, just NDJSON lines in and out.
import { connect, type Socket } from 'node:net';

export interface RawFrame {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: { code: string; hint?: string; details?: Record<string, unknown> } };
}

/** One raw connection that collects the frames the relay sends. */
export class RawSocket {
  readonly frames: RawFrame[] = [];
  closed = false;
  private buffer = '';
  private readonly waiters = new Set<() => void>();
  readonly whenClosed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) this.frames.push(JSON.parse(line) as RawFrame);
      this.wakeAll();
    });
    socket.on('error', () => undefined);
    this.whenClosed = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.wakeAll();
        resolve();
      }),
    );
  }

  static async open(path: string): Promise<RawSocket> {
    return new RawSocket(await openUnixSocket(path));
  }

  /** Writes one request frame. */
  send(id: number | string, method: string, params: unknown = {}): void {
    this.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  }

  /** The first frame matching `predicate`, waiting for it (hang guard: `timeoutMs`). */
  async next(predicate: (frame: RawFrame) => boolean = () => true, timeoutMs = 10_000): Promise<RawFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      if (this.closed) throw new Error('connection closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Sends a request and waits for its answer. */
  async request(id: number | string, method: string, params: unknown = {}, timeoutMs?: number): Promise<RawFrame> {
    this.send(id, method, params);
    return this.next((frame) => frame.id === id, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

/** The stable code of an error frame. */
export const codeOf = (frame: RawFrame): string | undefined => frame.error?.data?.code;

/**
 * Connects to a Unix socket, retrying a full accept queue (EAGAIN; net.core.somaxconn is small on
 * some machines) as the real client does: flood tests judge the relay, not the kernel's queue.
 */
export async function openUnixSocket(path: string): Promise<Socket> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(path);
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(socket);
        });
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + attempt));
    }
  }
}
