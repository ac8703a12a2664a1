// A relay whose accept queue is full is busy, not gone: clients retry the connect (EAGAIN)
// and the bootstrap does not mistake it for a dead relay. The listener is a real process that
// listens with a queue of one and stalls its event loop, as an overloaded relay does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRelaySocket } from '../../../src/client/connect-socket.js';
import { isSocketConnectable } from '../../../src/runtime/bootstrap.js';

const STALLED_LISTENER = `
const net = require('node:net');
const fs = require('node:fs');
const [path, release] = process.argv.slice(1);
const server = net.createServer((socket) => socket.on('error', () => {}).end('hi\\n'));
server.listen({ path, backlog: 1 }, () => {
  // Blocks the event loop until the release file exists: nothing is accepted meanwhile, so the
  // kernel's queue fills, as with a relay too busy to accept. (A pipe write is synchronous.)
  setImmediate(() => {
    process.stdout.write('stalled\\n');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(release)) Atomics.wait(pause, 0, 0, 20);
  });
});
`;

let dir: string | undefined;
let listener: ChildProcess | undefined;
const held: Socket[] = [];

afterEach(() => {
  // Killing the listener resets the held connections: that is expected, not an error.
  for (const socket of held.splice(0)) socket.on('error', () => undefined).destroy();
  listener?.kill('SIGKILL');
  listener = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A listener whose accept queue is full; it accepts again once `release` is called. */
async function stalledListener(): Promise<{ path: string; release: () => void }> {
  dir = mkdtempSync(join(tmpdir(), 'amt-busy-'));
  const path = join(dir, 'relay.sock');
  const flag = join(dir, 'release');
  listener = spawn(process.execPath, ['-e', STALLED_LISTENER, path, flag], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    listener?.stdout?.once('data', () => resolve());
    listener?.once('exit', (code) => reject(new Error(`listener exited with ${code}`)));
  });
  // Fill the queue until the kernel answers EAGAIN, which proves the premise of each test.
  for (let i = 0; i < 20; i += 1) {
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(path);
      socket.on('error', () => undefined);
      socket.once('connect', () => {
        held.push(socket);
        resolve('queued');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    if (outcome === 'EAGAIN') return { path, release: () => writeFileSync(flag, '') };
    if (outcome !== 'queued') throw new Error(`unexpected connect outcome ${outcome}`);
  }
  throw new Error('the accept queue never filled');
}

describe('a relay with a full accept queue', () => {
  it('is still reachable to the bootstrap, and a client connects once it accepts again', async () => {
    const { path, release } = await stalledListener();
    expect(await isSocketConnectable(path, 500)).toBe(true);
    // The first attempt meets the full queue at once; the release comes while the client retries.
    const connecting = connectRelaySocket(path);
    setTimeout(release, 300);
    const socket = await connecting;
    socket.on('error', () => undefined);
    held.push(socket);
    const greeting = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(String(data))));
    expect(greeting).toBe('hi\n');
  }, 30_000);

  it('answers relay_busy with a hint when the queue stays full past the retry window', async () => {
    const { path } = await stalledListener();
    const failure = await connectRelaySocket(path, { busyRetryMs: 300 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'relay_busy', hint: expect.stringMatching(/overloaded/) });
  }, 30_000);

  it('reports relay_unavailable when nothing listens', async () => {
    dir = mkdtempSync(join(tmpdir(), 'amt-busy-'));
    const failure = await connectRelaySocket(join(dir, 'none.sock')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'relay_unavailable' });
  });
});
