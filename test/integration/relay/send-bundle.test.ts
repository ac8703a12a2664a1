// `agentmux send` runs from its own one-file bundle (dist/send.js), also when it starts the
// relay, and hands the rest to the full CLI: piped input, what needs the config schemas, a
// relay that went away (with the request id fixed, so the message is journaled once). Real
// CLI, real relay.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRelay } from '../../../src/client/open-relay.js';
import { sendOnlyValidator } from '../../../src/cli/light-validator.js';
import { runFastPath } from '../../../src/cli/fast-path.js';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/paths.js';
import { AGENTMUX_BIN, cliEnv, relayPid, runCli, stopRelay, writeBundle, type CliResult } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
let roots: TempRoots;
let fake: Server | undefined;

beforeEach(() => {
  roots = makeTempRoots('sendb');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
  fake = undefined;
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

const as = (session: string, args: string[]): string[] => [...args, '--bundle', BUNDLE, '--as-session', session];

/** Bodies of the bundle's messages with `marker`, as history finds them. */
async function journaled(marker: string): Promise<string[]> {
  const found = await runCli(roots, as('bob', ['history', '--json', '--search', marker]));
  expect(found.code, found.stderr).toBe(0);
  return (JSON.parse(found.stdout) as { body: string }[]).map((m) => m.body);
}

/** Runs node with `args` and the test roots' environment. */
function runNode(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: cliEnv(roots), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A listener on the bundle's socket that answers nothing; it counts connections. */
function fakeRelay(onSocket: (socket: Socket) => void): Promise<{ connections: () => number }> {
  const paths = bundlePaths(roots.stateDir, BUNDLE);
  ensureRuntimeDir(paths);
  let count = 0;
  fake = createServer((socket) => {
    count += 1;
    onSocket(socket);
  });
  const server = fake;
  return new Promise((resolve) => server.listen(paths.socket, () => resolve({ connections: () => count })));
}

/** file: URLs of the ES modules `agentmux ...args` resolves (a module loader hook records them). */
async function modulesLoadedBy(args: string[]): Promise<{ result: CliResult; urls: string[] }> {
  const loaded = join(roots.root, 'loaded.txt');
  const loader = join(roots.root, 'record-loads.mjs');
  writeFileSync(
    loader,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(loaded)}, result.url + '\\n');
  return result;
}
`,
  );
  rmSync(loaded, { force: true });
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(loader).href)});`;
  const result = await runNode([
    '--import',
    `data:text/javascript,${encodeURIComponent(register)}`,
    AGENTMUX_BIN,
    ...args,
  ]);
  const urls = readFileSync(loaded, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'));
  return { result, urls };
}

describe('agentmux send on first use', () => {
  it('starts the relay from dist/send.js: no CLI chunks before the send is answered', { timeout: 60_000 }, async () => {
    const { result, urls } = await modulesLoadedBy(as('alice', ['send', '-t', 'bob', '-m', 'first use, send bundle']));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('starting relay');
    expect(urls.some((url) => url.endsWith('/dist/send.js'))).toBe(true);
    expect(urls.filter((url) => !url.endsWith('/bin/agentmux') && !url.endsWith('/dist/send.js'))).toEqual([]);
    expect(relayPid(roots, BUNDLE)).toBeDefined();
    expect(await journaled('first use, send bundle')).toEqual(['first use, send bundle']);
  });

  it('hands an unknown bundle to the full CLI, which reports it', async () => {
    const result = await runCli(roots, [
      'send',
      '-t',
      'bob',
      '-m',
      'hi',
      '--bundle',
      'nosuch',
      '--as-session',
      'alice',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/nosuch/);
    expect(result.stderr).not.toContain('starting relay');
  }, 30_000);
});

describe('agentmux send with a relay up', () => {
  it('loads only bin/agentmux and dist/send.js: no CLI chunks', { timeout: 60_000 }, async () => {
    const first = await runCli(roots, as('alice', ['send', '-t', 'bob', '-m', 'starts the relay']));
    expect(first.code, first.stderr).toBe(0);
    const { result: sent, urls } = await modulesLoadedBy(
      as('alice', ['send', '-t', 'bob', '-m', 'from the send bundle']),
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/bob\s+queued/);
    expect(urls.some((url) => url.endsWith('/dist/send.js'))).toBe(true);
    expect(urls.filter((url) => !url.endsWith('/bin/agentmux') && !url.endsWith('/dist/send.js'))).toEqual([]);
    expect(await journaled('from the send bundle')).toEqual(['from the send bundle']);
  });

  it('first use starts the relay; piped input goes to the full CLI; a stale socket is replaced', async () => {
    const first = await runCli(roots, as('alice', ['send', '-t', 'bob', '-m', 'first use']));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('starting relay');
    const piped = await runCli(roots, as('alice', ['send', '-t', 'bob']), { input: 'piped in\n' });
    expect(piped.code, piped.stderr).toBe(0);
    // The relay dies without removing its socket: the next send starts a new one.
    const pid = relayPid(roots, BUNDLE);
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    for (;;) {
      try {
        process.kill(pid as number, 0);
      } catch {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const again = await runCli(roots, as('alice', ['send', '-t', 'bob', '-m', 'after a crash']));
    expect(again.code, again.stderr).toBe(0);
    expect(relayPid(roots, BUNDLE)).not.toBe(pid);
    expect(await journaled('first use')).toEqual(['first use']);
    expect(await journaled('piped in')).toEqual(['piped in']);
    expect(await journaled('after a crash')).toEqual(['after a crash']);
  }, 60_000);

  it('reports usage errors as the full CLI does', async () => {
    const result = await runCli(roots, as('alice', ['send', '-t', 'bob', '--bogus']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bogus/);
  }, 30_000);
});

describe('the send bundle when the relay drops the connection', () => {
  it('hands the full CLI the command with a fixed request id', async () => {
    const relay = await fakeRelay((socket) => socket.destroy());
    const argv = ['send', '-t', 'bob', '-m', 'lost', '--bundle', BUNDLE, '--as-session', 'alice'];
    const outcome = await runFastPath([...argv, '--state-directory', roots.stateDir], { sendBundle: true });
    expect(relay.connections()).toBeGreaterThan(0);
    expect(Array.isArray(outcome)).toBe(true);
    const handed = outcome as string[];
    expect(handed.slice(0, -2)).toEqual([...argv, '--state-directory', roots.stateDir]);
    expect(handed.at(-2)).toBe('--request-id');
    expect(handed.at(-1)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a request id that was given', async () => {
    await fakeRelay((socket) => socket.destroy());
    const argv = ['send', '-t', 'bob', '-m', 'lost', '--request-id', 'mine-1'];
    const outcome = await runFastPath(
      [...argv, '--bundle', BUNDLE, '--as-session', 'alice', '--state-directory', roots.stateDir],
      {
        sendBundle: true,
      },
    );
    expect(outcome).toEqual([
      ...argv,
      '--bundle',
      BUNDLE,
      '--as-session',
      'alice',
      '--state-directory',
      roots.stateDir,
    ]);
  });
});

describe('openRelay to a live relay', () => {
  it('connects once: no probe connection before the real one', async () => {
    const relay = await fakeRelay((socket) => {
      socket.on('data', (data) => {
        const request = JSON.parse(String(data).split('\n')[0] ?? '{}') as { id: number };
        const hello = { bundle: BUNDLE, role: 'agent', relay: { pid: process.pid } };
        socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: request.id, result: hello })}\n`);
      });
    });
    const client = await openRelay({
      roots: { configDir: roots.configDir, stateDir: roots.stateDir },
      identity: { bundle: BUNDLE, session: 'alice', credential: 'x' },
      clientName: 'test',
      clientVersion: '0',
      autoStart: false,
      entryPoint: AGENTMUX_BIN,
      validator: sendOnlyValidator,
    });
    client.close();
    expect(client.hello.bundle).toBe(BUNDLE);
    expect(relay.connections()).toBe(1);
  });

  it('still reports relay_unavailable for a stale socket when autostart is off', async () => {
    const paths = bundlePaths(roots.stateDir, BUNDLE);
    await fakeRelay(() => undefined);
    await new Promise<void>((resolve) => fake?.close(() => resolve()));
    fake = undefined;
    // A socket file nobody listens on (closing the server removed it: put one back).
    writeFileSync(paths.socket, '');
    const failure = await openRelay({
      roots: { configDir: roots.configDir, stateDir: roots.stateDir },
      identity: { bundle: BUNDLE, session: 'alice', credential: 'x' },
      clientName: 'test',
      clientVersion: '0',
      autoStart: false,
      entryPoint: AGENTMUX_BIN,
      validator: sendOnlyValidator,
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'relay_unavailable' });
    rmSync(paths.socket, { force: true });
  });
});
