// Protocol hardening against the real relay process over a raw socket: every kind of bad
// input gets a structured error on its own connection, and nothing stops the relay or
// another client's work.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import { readOperatorKey } from '../../../src/runtime/operator-key.js';
import { relayPid, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo } from '../../helpers/client.js';
import { openUnixSocket } from '../../helpers/raw-connection.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'hard';

interface Frame {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: { code: string; details?: Record<string, unknown> } };
}

/** A socket to the relay that speaks raw bytes and collects the frames that come back. */
class RawConnection {
  private readonly frames: Frame[] = [];
  private buffer = '';
  private wake: (() => void) | undefined;
  private closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) this.frames.push(JSON.parse(line) as Frame);
      this.wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static async open(path: string): Promise<RawConnection> {
    return new RawConnection(await openUnixSocket(path));
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /** Removes and returns the first frame matching `predicate`, waiting for it. */
  async next(predicate: (frame: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index !== -1) return this.frames.splice(index, 1)[0] as Frame;
      if (this.closed) throw new Error('connection closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends a request and waits for the answer with the same id. */
  async request(id: number | string, method: string, params?: unknown): Promise<Frame> {
    await this.write(
      `${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })}\n`,
    );
    return this.next((frame) => frame.id === id);
  }

  /** Frames received but not yet taken. */
  get unread(): readonly Frame[] {
    return this.frames;
  }

  close(): void {
    this.socket.destroy();
  }
}

let roots: TempRoots;
let socketPath: string;
let firstPid: number | undefined;
const opened: { close(): void }[] = [];

/** A raw hello from the operator's own process: it proves itself with the bundle's operator key. */
const hello = (session: string | undefined, role = 'agent'): Record<string, unknown> => ({
  protocol: 1,
  bundle: BUNDLE,
  ...(session === undefined ? {} : { session }),
  role,
  credential: readOperatorKey(dirname(socketPath)),
  client: { name: 'raw', version: '0' },
});

async function raw(): Promise<RawConnection> {
  const connection = await RawConnection.open(socketPath);
  opened.push(connection);
  return connection;
}

async function client(session: string, role: 'agent' | 'operator' = 'agent'): Promise<RelayClient> {
  const relayClient = await connectTo(roots, BUNDLE, session, role);
  opened.push(relayClient);
  return relayClient;
}

/** The stable code of an error frame. */
const codeOf = (frame: Frame): string | undefined => frame.error?.data?.code;

/** Proves the connection still works: a hello (or, if bound, a list) gets a result. */
async function stillWorks(connection: RawConnection, bound = false): Promise<void> {
  const answer = bound
    ? await connection.request('alive', 'list', {})
    : await connection.request('alive', 'hello', hello('alice'));
  expect(answer.error).toBeUndefined();
  expect(answer.result).toBeDefined();
}

beforeAll(async () => {
  roots = makeTempRoots('hard');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]);
  socketPath = join(roots.stateDir, 'bundles', BUNDLE, 'relay.sock');
  // The first client starts the built relay, as the CLI does.
  (await client('carol')).close();
  firstPid = relayPid(roots, BUNDLE);
});

afterEach(() => {
  for (const connection of opened.splice(0)) connection.close();
});

afterAll(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

describe('malformed frames', () => {
  it('answers invalid JSON with validation_invalid_frame and keeps the connection', async () => {
    const connection = await raw();
    await connection.write('{"jsonrpc": "2.0", "id": 1, "method": \n');
    const frame = await connection.next();
    expect(frame).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(codeOf(frame)).toBe('validation_invalid_frame');
    // The raw frame is never echoed back.
    expect(JSON.stringify(frame)).not.toContain('"method": ');
    await stillWorks(connection);
  });

  it('drops a 1.5 MiB line with validation_frame_too_large and keeps the connection', async () => {
    const connection = await raw();
    const body = 'x'.repeat(1.5 * 1024 * 1024);
    await connection.write(`{"jsonrpc":"2.0","id":1,"method":"hello","params":{"pad":"${body}"}}\n`);
    const frame = await connection.next(undefined, 10_000);
    expect(codeOf(frame)).toBe('validation_frame_too_large');
    expect(frame.id).toBeNull();
    expect(frame.error?.data?.details?.bytes).toBeGreaterThan(1024 * 1024);
    await stillWorks(connection);
  });

  it('refuses JSON that is not a JSON-RPC 2.0 request, echoing a usable id', async () => {
    const connection = await raw();
    const bad = ['42', '"text"', 'null', 'true', '[]', '{}', '[{"jsonrpc":"2.0","id":1,"method":"list"}]'];
    for (const text of bad) {
      await connection.write(`${text}\n`);
      const frame = await connection.next();
      expect(codeOf(frame), text).toBe('validation_invalid_frame');
      expect(frame.id, text).toBeNull();
    }
    await connection.write('{"jsonrpc":"1.0","id":5,"method":"list"}\n{"jsonrpc":"2.0","id":"r7"}\n');
    expect(codeOf(await connection.next((f) => f.id === 5))).toBe('validation_invalid_frame');
    expect(codeOf(await connection.next((f) => f.id === 'r7'))).toBe('validation_invalid_frame');
    await stillWorks(connection);
  });

  it('survives deeply nested JSON with a structured error', async () => {
    const connection = await raw();
    const depth = 100_000;
    await connection.write(`${'['.repeat(depth)}\n`);
    expect(codeOf(await connection.next())).toBe('validation_invalid_frame');
    await connection.write(`${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    expect(codeOf(await connection.next())).toBe('validation_invalid_frame');
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    await connection.write(`{"jsonrpc":"2.0","id":1,"method":"hello","params":${deep}}\n`);
    expect(codeOf(await connection.next((f) => f.id === 1))).toBe('validation_invalid_params');
    await stillWorks(connection);
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    await connection.write(`{"jsonrpc":"2.0","id":2,"method":"send","params":{"to":["bob"],"body":${nested}}}\n`);
    expect(codeOf(await connection.next((f) => f.id === 2))).toBe('validation_invalid_params');
    await connection.write(
      `{"jsonrpc":"2.0","id":3,"method":"send","params":{"to":["bob"],"body":"x","extra":${nested}}}\n`,
    );
    expect(codeOf(await connection.next((f) => f.id === 3))).toBe('validation_invalid_params');
    await stillWorks(connection, true);
  });

  it('survives random bytes with structured errors only', async () => {
    const connection = await raw();
    for (let round = 0; round < 4; round += 1) await connection.write(randomBytes(64 * 1024));
    await connection.write('\n');
    await stillWorks(connection);
    expect(connection.unread.length).toBeGreaterThan(0);
    for (const frame of connection.unread) {
      expect(['validation_invalid_frame', 'validation_frame_too_large']).toContain(codeOf(frame));
    }
  });
});

describe('the hello binding', () => {
  it('refuses unknown methods, before and after hello', async () => {
    const connection = await raw();
    for (const method of ['no.such.method', 'toString', '__proto__']) {
      const frame = await connection.request(method, method, {});
      expect(codeOf(frame), method).toBe('validation_unknown_method');
      expect(frame.error?.code).toBe(-32601);
    }
    await stillWorks(connection);
    expect(codeOf(await connection.request(9, 'look.everything', {}))).toBe('validation_unknown_method');
  });

  it('refuses every request before hello, and a hello sent as a notification binds nothing', async () => {
    const connection = await raw();
    expect(codeOf(await connection.request(1, 'list', {}))).toBe('validation_missing_hello');
    await connection.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'hello', params: hello('alice') })}\n`);
    expect(codeOf(await connection.request(2, 'send', { to: ['bob'], body: 'hi' }))).toBe('validation_missing_hello');
    await stillWorks(connection);
  });

  it('refuses a hello for a session outside the bundle or another bundle', async () => {
    const connection = await raw();
    const unknown = await connection.request(1, 'hello', hello('mallory'));
    expect(codeOf(unknown)).toBe('validation_unknown_session');
    expect(codeOf(await connection.request(2, 'hello', { ...hello('alice'), bundle: 'other' }))).toBe(
      'validation_unknown_bundle',
    );
    expect(codeOf(await connection.request(3, 'hello', { ...hello('alice'), uid: 0 }))).toBe(
      'validation_invalid_params',
    );
    await stillWorks(connection);
  });

  it('refuses a hello that claims another role than the configuration gives', async () => {
    const connection = await raw();
    expect(codeOf(await connection.request(1, 'hello', hello('alice', 'operator')))).toBe('validation_role_mismatch');
    expect(codeOf(await connection.request(2, 'hello', hello('user', 'agent')))).toBe('validation_role_mismatch');
    expect(codeOf(await connection.request(3, 'hello', hello('alice', 'observer')))).toBe('validation_role_mismatch');
    await stillWorks(connection);
  });

  it('refuses a second hello and keeps the first identity', async () => {
    const connection = await raw();
    await stillWorks(connection);
    expect(codeOf(await connection.request(1, 'hello', hello('bob')))).toBe('validation_duplicate_hello');
    expect(codeOf(await connection.request(2, 'hello', hello('alice')))).toBe('validation_duplicate_hello');
    const sent = await connection.request(3, 'send', { to: ['carol'], body: 'who am I?' });
    const carol = await client('carol');
    const inbox = await carol.request('inbox.fetch', { limit: 1000 });
    const stored = inbox.messages.find((m) => m.id === sent.result?.message_id);
    expect(stored?.from).toBe('alice');
  });

  it('refuses a send that names its sender; the stored sender is the hello identity', async () => {
    const connection = await raw();
    await stillWorks(connection);
    for (const field of ['from', 'sender', 'sender_session']) {
      const frame = await connection.request(field, 'send', { to: ['bob'], body: 'spoof', [field]: 'carol' });
      expect(codeOf(frame), field).toBe('validation_invalid_params');
      expect(frame.error?.code).toBe(-32602);
    }
    const sent = await connection.request('ok', 'send', { to: ['bob'], body: 'honest' });
    const id = sent.result?.message_id as string;
    const bob = await client('bob');
    const thread = await bob.request('thread.get', { id });
    expect(thread.messages.map((m) => [m.from, m.body])).toEqual([['alice', 'honest']]);
    const history = await bob.request('history.search', { query: 'spoof' });
    expect(history.messages).toEqual([]);
  });
});

describe('message bodies', () => {
  it('refuses NUL, lone surrogates and bodies over 256 KiB', async () => {
    const connection = await raw();
    await stillWorks(connection);
    expect(codeOf(await connection.request(1, 'send', { to: ['bob'], body: 'a\u0000b' }))).toBe(
      'validation_invalid_body',
    );
    await connection.write('{"jsonrpc":"2.0","id":2,"method":"send","params":{"to":["bob"],"body":"x\\ud800y"}}\n');
    expect(codeOf(await connection.next((f) => f.id === 2))).toBe('validation_invalid_body');
    const big = await connection.request(3, 'send', { to: ['bob'], body: 'é'.repeat(128 * 1024 + 1) });
    expect(codeOf(big)).toBe('validation_body_too_large');
    expect(big.error?.data?.details).toEqual({ bytes: 256 * 1024 + 2, max_bytes: 256 * 1024 });
    const exact = await connection.request(4, 'send', { to: ['bob'], body: 'y'.repeat(256 * 1024) });
    expect(exact.error).toBeUndefined();
  });

  it('delivers answers larger than a request frame, and refuses an oversized request at once', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const bodies = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(250 * 1024));
    for (const body of bodies) await alice.request('send', { to: ['bob'], body });
    const inbox = await bob.request('inbox.fetch', { limit: 5 }, { timeoutMs: 5000 });
    expect(inbox.messages.map((m) => m.body)).toEqual(bodies);
    // Valid body, but JSON escapes make its frame larger than 1 MiB. The request timeout
    // outlives the test's: only a refusal before sending answers in time.
    const oversized = alice.request('send', { to: ['bob'], body: '\u0001'.repeat(200 * 1024) }, { timeoutMs: 600_000 });
    await expect(oversized).rejects.toMatchObject({ code: 'validation_frame_too_large' });
  });
});

describe('floods', () => {
  // How quickly it answers meanwhile is bench/relay-floods.mjs's figure.
  it('keeps answering a real client while 200 connections never say hello', async () => {
    const idle = await Promise.all(Array.from({ length: 200 }, () => raw()));
    // Half of them leave a frame unfinished, the rest send nothing at all.
    await Promise.all(idle.slice(0, 100).map((connection) => connection.write('{"jsonrpc":"2.0","id":1,"meth')));
    const alice = await client('alice');
    const sent: string[] = [];
    for (let i = 0; i < 20; i += 1)
      sent.push((await alice.request('send', { to: ['bob'], body: `flood ${i}` })).message_id);
    const bob = await client('bob');
    const inbox = await bob.request('inbox.fetch', { unread_only: true, limit: 1000 });
    const flood = inbox.messages.filter((m) => m.from === 'alice' && m.body.startsWith('flood '));
    expect(flood.map((m) => m.id)).toEqual(sent);
    expect(flood.map((m) => m.body)).toEqual(Array.from({ length: 20 }, (_, i) => `flood ${i}`));
  });

  // The relay's memory meanwhile is bench/relay-floods.mjs's figure.
  it('stops reading from a client that floods without reading its answers', async () => {
    const logBytes = (): number => statSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.log')).size;
    const before = { log: logBytes() };
    const flooder = await raw();
    flooder.socket.pause();
    // 16 MiB of bad frames would be 8M error answers (~1.5 GB) if the relay kept reading.
    const chunk = Buffer.from('x\n'.repeat(512 * 1024));
    for (let i = 0; i < 16; i += 1) void flooder.write(chunk).catch(() => undefined);
    const alice = await client('alice');
    for (let i = 0; i < 20; i += 1) {
      await alice.request('send', { to: ['bob'], body: `during flood ${i}` });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The relay stopped reading once its answers backed up: most of the 16 MiB is still ours.
    // (Reading it all would queue ~8M error answers.) The bad-frame log lines are capped.
    expect(flooder.socket.writableLength).toBeGreaterThan(8 * 1024 * 1024);
    expect(logBytes() - before.log).toBeLessThan(64 * 1024);
  });
});

describe('after all of it', () => {
  it('the relay is still up, the same process, and serves another client', async () => {
    const status = await runCli(roots, ['relay', 'status', '--bundle', BUNDLE, '--json']);
    expect(status.code, status.stderr).toBe(0);
    // Clients auto-start a relay, so a crash would have been hidden by a new one: compare pids.
    expect(firstPid).toBeDefined();
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'running', pid: firstPid });
    const carol = await client('carol');
    const sent = await carol.request('send', { to: ['alice'], body: 'still here' });
    const alice = await client('alice');
    const inbox = await alice.request('inbox.fetch', { unread_only: true });
    expect(inbox.messages.map((m) => [m.id, m.from, m.body])).toContainEqual([sent.message_id, 'carol', 'still here']);
  });

  it('logged no internal failure and never a whole frame', () => {
    const lines = readFileSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.log'), 'utf8')
      .trim()
      .split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { level: string; event: string });
    expect(entries.filter((entry) => entry.level === 'error')).toEqual([]);
    expect(entries.some((entry) => entry.event === 'connection.bad_frame')).toBe(true);
    expect(Math.max(...lines.map((line) => Buffer.byteLength(line)))).toBeLessThan(4096);
  });
});
