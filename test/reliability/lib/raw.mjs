// A bare NDJSON socket to the relay that writes arbitrary bytes and collects whatever frames
// come back, for fuzzing and identity checks below the client library's own validation.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';

/** Opens a raw connection to `socketPath`, retrying a full accept queue (EAGAIN) as clients do. */
export async function openRaw(socketPath) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await new Promise((resolve, reject) => {
        const socket = connect(socketPath);
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(new RawConnection(socket));
        });
      });
    } catch (error) {
      if (error.code !== 'EAGAIN' || attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + attempt));
    }
  }
}

/** One raw connection: `write`, `request`, `next`, `close`. */
class RawConnection {
  constructor(socket) {
    this.socket = socket;
    this.frames = [];
    this.unparsable = 0;
    this.closed = false;
    this.buffer = '';
    this.wake = undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      this.buffer += chunk;
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.length === 0) continue;
        try {
          this.frames.push(JSON.parse(line));
        } catch {
          this.unparsable += 1;
        }
      }
      this.wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  write(data) {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(data, () => resolve()));
  }

  async next(predicate = () => true, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index !== -1) return this.frames.splice(index, 1)[0];
      if (this.closed) throw new Error('connection closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async request(id, method, params, timeoutMs = 5000) {
    await this.write(
      `${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })}\n`,
    );
    return this.next((frame) => frame.id === id, timeoutMs);
  }

  close() {
    this.socket.destroy();
  }
}

/** The stable error code of a frame, or undefined for a result. */
export const codeOf = (frame) => frame?.error?.data?.code;

/** A hello's params for `session` in `bundle`. */
export const helloParams = (bundle, session, role, credential) => ({
  protocol: 1,
  bundle,
  ...(session === undefined ? {} : { session }),
  ...(role === undefined ? {} : { role }),
  ...(credential === undefined ? {} : { credential }),
  client: { name: 'reliability-raw', version: '0' },
});

/** The bundle's operator key, which the harness (the user's own process) presents at hello. */
export const operatorKey = (socketPath) => readFileSync(join(dirname(socketPath), 'operator.key'), 'utf8').trim();
