// Real nats-server processes for multi-host tests: a hub and one leaf per host, each on
// loopback with its own ports (never 4222) and store dir, killed by pid in teardown.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The nats-server binary, or undefined when it is not installed. */
export function findNatsServer(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    // Debian installs it in /usr/sbin, which a non-root PATH often leaves out.
    return ['/usr/sbin/nats-server', '/usr/local/sbin/nats-server'].find((path) => existsSync(path));
  }
}

/** Why a file skips (undefined: it runs); with AGENTMUX_REQUIRE_TEST_TOOLS=1 a missing server fails. */
export function natsSkipReason(): string | undefined {
  if (findNatsServer() !== undefined) return undefined;
  const why = 'nats-server is not installed (apt-get install nats-server)';
  if (process.env.AGENTMUX_REQUIRE_TEST_TOOLS === '1') throw new Error(`AGENTMUX_REQUIRE_TEST_TOOLS=1 but ${why}`);
  return why;
}

export interface NatsServer {
  name: string;
  /** nats://127.0.0.1:<client port> */
  url: string;
  clientPort: number;
  /** The hub's leafnode port (hub only). */
  leafPort: number | undefined;
  pid: () => number | undefined;
  /** kill -9 (or SIGTERM) and wait for the exit. */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
  /** Starts again on the same ports and store. */
  restart: () => Promise<void>;
}

const running = new Set<ChildProcess>();
// A test worker ended early (timeout, Ctrl-C) must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Kills every server these helpers started (afterEach/afterAll). */
export async function stopAllNatsServers(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 'SIGKILL')));
}

/** A hub: JetStream domain `hub`, a leafnode listener. */
export function startHub(dir: string): Promise<NatsServer> {
  return startServer(dir, 'hub', (ports) => [
    `server_name: hub`,
    `listen: 127.0.0.1:${ports.client ?? -1}`,
    `jetstream { store_dir: "${join(dir, 'hub', 'store')}", domain: hub }`,
    `leafnodes { listen: 127.0.0.1:${ports.leaf ?? -1} }`,
  ]);
}

/** A host's leaf server: JetStream domain = host id, linked to the hub. */
export function startLeaf(dir: string, host: string, hub: NatsServer): Promise<NatsServer> {
  return startServer(dir, host, (ports) => [
    `server_name: ${host}`,
    `listen: 127.0.0.1:${ports.client ?? -1}`,
    `jetstream { store_dir: "${join(dir, host, 'store')}", domain: ${host} }`,
    `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${hub.leafPort}" } ] }`,
  ]);
}

async function startServer(
  dir: string,
  name: string,
  config: (ports: { client?: number; leaf?: number }) => string[],
): Promise<NatsServer> {
  mkdirSync(join(dir, name), { recursive: true });
  const file = join(dir, name, 'server.conf');
  let child: ChildProcess | undefined;
  const launch = async (ports: { client?: number; leaf?: number }) => {
    writeFileSync(file, `${config(ports).join('\n')}\n`);
    const started = spawn(findNatsServer() ?? 'nats-server', ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(started);
    started.once('exit', () => running.delete(started));
    child = started;
    return readPorts(started, name);
  };
  const ports = await launch({});
  return {
    name,
    url: `nats://127.0.0.1:${ports.client}`,
    clientPort: ports.client,
    leafPort: ports.leaf,
    pid: () => (child?.exitCode === null ? child.pid : undefined),
    kill: async (signal = 'SIGKILL') => {
      if (child) await stopChild(child, signal);
    },
    restart: async () => {
      await launch(ports);
    },
  };
}

function readPorts(child: ChildProcess, name: string): Promise<{ client: number; leaf?: number }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${name}: not ready in 10 s:\n${text}`)), 10_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (!text.includes('Server is ready')) text += chunk;
      if (!text.includes('Server is ready')) return;
      clearTimeout(timer);
      const client = /client connections on 127\.0\.0\.1:(\d+)/.exec(text)?.[1];
      const leaf = /leafnode connections on 127\.0\.0\.1:(\d+)/.exec(text)?.[1];
      resolve({ client: Number(client), ...(leaf === undefined ? {} : { leaf: Number(leaf) }) });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${String(code)}):\n${text}`)));
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
