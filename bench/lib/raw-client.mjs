// A bare NDJSON client with no schema checks on answers, to show how much of a round trip
// the client library's own work (zod validation, timers) costs next to the relay's.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';

/** The credential the client library presents by default: the bundle's operator key. */
function operatorKey(socketPath) {
  try {
    return readFileSync(join(dirname(socketPath), 'operator.key'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Connects to `socketPath` and says hello as `session`; resolves to `{ request, close }`. */
export async function openRawClient(socketPath, hello) {
  const socket = connect(socketPath);
  await new Promise((done, fail) => {
    socket.once('connect', done);
    socket.once('error', fail);
  });
  const waiting = new Map();
  let nextId = 1;
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const frame = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      const settle = frame.id === undefined ? undefined : waiting.get(frame.id);
      if (!settle) continue;
      waiting.delete(frame.id);
      settle(frame);
    }
  });
  const request = (method, params) =>
    new Promise((done, fail) => {
      const id = nextId++;
      waiting.set(id, (frame) => (frame.error ? fail(new Error(frame.error.message)) : done(frame.result)));
      socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  // Like the library, prove the session with the operator key unless a credential is given.
  const credential = hello.credential ?? operatorKey(socketPath);
  await request('hello', {
    protocol: 1,
    ...hello,
    ...(credential === undefined ? {} : { credential }),
    client: { name: 'agentmux-bench-raw', version: '0' },
  });
  return { request, close: () => socket.destroy() };
}
