// The socket transport over a real Unix socket pair: framing, close semantics, and pausing a
// peer that sends without reading.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SocketTransport } from '../../../src/core/transport/index.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
let server: Server;
let path: string;
const sockets: Socket[] = [];

/** Connects a client socket and returns both ends. */
async function pair(): Promise<{ client: Socket; accepted: Socket }> {
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect(path);
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const ends = { client, accepted: await accepted };
  sockets.push(ends.client, ends.accepted);
  return ends;
}

const until = async (predicate: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

beforeEach(async () => {
  roots = makeTempRoots('transport');
  path = join(roots.root, 's.sock');
  server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  roots.cleanup();
});

describe('SocketTransport', () => {
  it('exchanges frames both ways and reports oversized lines', async () => {
    const { client, accepted } = await pair();
    const near = new SocketTransport(client, 64);
    const far = new SocketTransport(accepted, 64);
    const got: unknown[] = [];
    const oversized: number[] = [];
    far.onframe = (text) => got.push(JSON.parse(text));
    far.onoversized = (bytes) => oversized.push(bytes);
    far.start();
    near.start();
    await near.send({ n: 1 });
    expect(near.sendNow({ n: 2 })).toBe(true);
    await near.send({ pad: 'x'.repeat(100) });
    await near.send({ n: 3 });
    await until(() => got.length === 3);
    expect(got).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(oversized).toEqual([110]);
  });

  it('refuses a second start, fires onclose once, and refuses sends after close', async () => {
    const { client, accepted } = await pair();
    const near = new SocketTransport(client, 1024);
    const far = new SocketTransport(accepted, 1024);
    let nearClosed = 0;
    let farClosed = 0;
    near.onclose = () => (nearClosed += 1);
    far.onclose = () => (farClosed += 1);
    near.start();
    far.start();
    expect(() => near.start()).toThrow(/already started/);
    near.close();
    near.close();
    await until(() => farClosed === 1);
    expect(nearClosed).toBe(1);
    await expect(near.send({})).rejects.toThrow(/closed/);
    expect(near.sendNow({})).toBe(false);
  });

  it.each([
    [true, 'stops reading'],
    [false, 'keeps reading'],
  ])('with pauseWhileBlocked=%s it %s while the peer does not read its answers', async (pause) => {
    const { client, accepted } = await pair();
    const relaySide = new SocketTransport(accepted, 1024 * 1024, { pauseWhileBlocked: pause });
    let requests = 0;
    const answer = 'y'.repeat(16 * 1024);
    relaySide.onframe = () => {
      requests += 1;
      relaySide.sendNow({ answer });
    };
    relaySide.start();
    client.pause();
    const total = 1000;
    const line = `${JSON.stringify({ pad: 'x'.repeat(4096) })}\n`;
    for (let i = 0; i < total; i += 1) client.write(line);
    if (pause) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(requests).toBeLessThan(total);
      expect(relaySide.bufferedBytes).toBeLessThan(total * answer.length);
      // Reading the answers lets the relay side read again, until every request is served.
      client.resume();
    }
    await until(() => requests === total);
  });
});
