// The relay client against an in-process fake relay on a Unix socket: hello, answers, errors,
// timeouts, lost connections, frame sizes and notifications.
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayClient } from '../../../src/client/index.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

interface Request {
  id: number;
  method: string;
  params: Record<string, unknown>;
}

/** What the fake relay does with a request: answer it (result or error), or nothing. */
type Behaviour = (request: Request, socket: Socket) => void;

const HELLO_RESULT = { bundle: 'b', session: 'alice', role: 'agent', relay: { pid: 1, version: '0', protocol: 1 } };

let roots: TempRoots;
let server: Server;
let path: string;
let behaviour: Behaviour;
let received: Request[];
const sockets = new Set<Socket>();
const clients: RelayClient[] = [];

const write = (socket: Socket, frame: unknown): void => void socket.write(`${JSON.stringify(frame)}\n`);
const answer = (socket: Socket, id: number, result: unknown): void => write(socket, { jsonrpc: '2.0', id, result });

function helloThen(next: Behaviour): Behaviour {
  return (request, socket) => {
    if (request.method === 'hello') answer(socket, request.id, HELLO_RESULT);
    else next(request, socket);
  };
}

async function open(timeoutMs?: number): Promise<RelayClient> {
  const client = await RelayClient.connect({
    socketPath: path,
    identity: { bundle: 'b', session: 'alice', role: 'agent' },
    clientName: 'test',
    clientVersion: '0',
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  roots = makeTempRoots('client');
  path = join(roots.root, 'relay.sock');
  received = [];
  behaviour = helloThen(() => undefined);
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const request = JSON.parse(line) as Request;
        received.push(request);
        behaviour(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  roots.cleanup();
});

describe('RelayClient.connect', () => {
  it('says hello with the identity and keeps the answer', async () => {
    const client = await open();
    expect(client.hello).toMatchObject(HELLO_RESULT);
    expect(received[0]).toMatchObject({
      method: 'hello',
      params: { protocol: 1, bundle: 'b', session: 'alice', role: 'agent', client: { name: 'test', version: '0' } },
    });
    expect(client.open).toBe(true);
  });

  it('fails with the relay error when hello is refused, and closes the socket', async () => {
    behaviour = (request, socket) =>
      write(socket, {
        jsonrpc: '2.0',
        id: request.id,
        error: { code: -32602, message: 'no such session', data: { code: 'validation_unknown_session' } },
      });
    await expect(open()).rejects.toMatchObject({ code: 'validation_unknown_session', message: 'no such session' });
    await expect.poll(() => sockets.size).toBe(0);
  });

  it('fails with relay_unavailable when nobody listens', async () => {
    path = join(roots.root, 'missing.sock');
    await expect(open()).rejects.toMatchObject({ code: 'relay_unavailable' });
  });
});

describe('RelayClient.request', () => {
  it('times out with relay_timeout, and a cancelled request rejects at once', async () => {
    const client = await open();
    await expect(client.request('list', {}, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'relay_timeout',
      details: { method: 'list', timeout_ms: 50 },
    });
    const controller = new AbortController();
    const pending = client.request('list', {}, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'relay_timeout' });
  });

  it('rejects pending requests with relay_unavailable when the connection drops', async () => {
    const client = await open();
    let closed = 0;
    client.onClose(() => (closed += 1));
    const pending = client.request('list', {});
    await expect.poll(() => received.length).toBe(2);
    for (const socket of sockets) socket.destroy();
    await expect(pending).rejects.toMatchObject({ code: 'relay_unavailable', details: { lost_connection: true } });
    expect(closed).toBe(1);
    expect(client.open).toBe(false);
    await expect(client.request('list', {})).rejects.toMatchObject({ code: 'relay_unavailable' });
  });

  it('refuses an answer of the wrong shape', async () => {
    behaviour = helloThen((request, socket) => answer(socket, request.id, { nonsense: true }));
    const client = await open();
    await expect(client.request('inbox.ack', { ids: ['X'] })).rejects.toMatchObject({
      code: 'internal_unexpected_failure',
    });
  });

  it('accepts answers larger than the request frame limit', async () => {
    const body = 'z'.repeat(250 * 1024);
    const message = {
      id: 'M',
      seq: 1,
      bundle: 'b',
      from: 'bob',
      to: ['alice'],
      cc: [],
      subject: null,
      body,
      reply_to: null,
      thread: 'M',
      request_id: null,
      created_at: '2026-01-01T00:00:00.000Z',
      state: 'queued',
      read_at: null,
    };
    behaviour = helloThen((request, socket) =>
      answer(socket, request.id, { messages: Array.from({ length: 8 }, () => message), unread: 8 }),
    );
    const client = await open();
    const inbox = await client.request('inbox.fetch', {}, { timeoutMs: 5000 });
    expect(inbox.messages).toHaveLength(8);
    expect(inbox.messages[0]?.body).toBe(body);
  });

  it('serialises a request once: the frame it measures is the frame it sends', async () => {
    behaviour = helloThen((request, socket) => answer(socket, request.id, { acked: [], unknown: [], unread: 0 }));
    const client = await open();
    let serialised = 0;
    const id = {
      toJSON() {
        serialised += 1;
        return 'X';
      },
    };
    await client.request('inbox.ack', { ids: [id as unknown as string] });
    expect(serialised).toBe(1);
    expect(received.at(-1)?.params).toEqual({ ids: ['X'] });
  });

  it('refuses a request over the frame limit without sending it', async () => {
    const client = await open();
    // A long request timeout: only a refusal before sending can answer within the test's.
    const request = client.request('send', { to: ['bob'], body: '\u0001'.repeat(200 * 1024) }, { timeoutMs: 600_000 });
    await expect(request).rejects.toMatchObject({
      code: 'validation_frame_too_large',
      details: { method: 'send', max_bytes: 1024 * 1024 },
    });
    expect(received.map((r) => r.method)).toEqual(['hello']);
  });
});

describe('RelayClient notifications', () => {
  it('validates known notifications, drops malformed ones, and passes unknown ones to onAny', async () => {
    behaviour = helloThen((request, socket) => {
      write(socket, { jsonrpc: '2.0', method: 'inbox.updated', params: { seq: 1, unread: 2 } });
      write(socket, { jsonrpc: '2.0', method: 'inbox.updated', params: { seq: 'bad' } });
      write(socket, { jsonrpc: '2.0', method: 'future.event', params: { x: 1 } });
      answer(socket, request.id, { seq: 3, replayed: 0 });
    });
    const client = await open();
    const inbox: unknown[] = [];
    const any: string[] = [];
    client.on('inbox.updated', (params) => inbox.push(params));
    client.onAny((method) => any.push(method));
    await client.request('subscribe', { inbox: true });
    expect(inbox).toEqual([{ seq: 1, unread: 2 }]);
    expect(any).toEqual(['inbox.updated', 'future.event']);
  });
});
