// Shared set-up of the multi-host tests: one bundle file naming two hosts, read by two
// relays with separate state roots (AGENTMUX_HOST tells each which host it is).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopRelay, type CliResult } from '../../helpers/cli.js';
import { startHub, startLeaf, stopAllNatsServers, type NatsServer } from '../../helpers/nats-servers.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

export interface HostSide {
  host: string;
  roots: TempRoots;
  leaf: NatsServer;
}

/** A hub, a leaf per host, and each host's own roots (no bundle written yet). */
export interface TwoHosts {
  dir: TempRoots;
  hub: NatsServer;
  leaves: { laptop: NatsServer; build: NatsServer };
  laptop: HostSide;
  build: HostSide;
}

export async function startTwoHosts(prefix: string): Promise<TwoHosts> {
  const dir = makeTempRoots(prefix);
  const hub = await startHub(dir.root);
  const leaves = { laptop: await startLeaf(dir.root, 'laptop', hub), build: await startLeaf(dir.root, 'build', hub) };
  return {
    dir,
    hub,
    leaves,
    laptop: { host: 'laptop', roots: makeTempRoots('laptop'), leaf: leaves.laptop },
    build: { host: 'build', roots: makeTempRoots('build'), leaf: leaves.build },
  };
}

/** Stops both relays and every nats-server, then removes the roots (kept with AGENTMUX_KEEP_TEST_ROOTS=1). */
export async function stopTwoHosts(hosts: TwoHosts, bundle: string): Promise<void> {
  for (const side of [hosts.laptop, hosts.build]) await stopRelay(side.roots, bundle);
  await stopAllNatsServers();
  if (process.env.AGENTMUX_KEEP_TEST_ROOTS === '1') return;
  for (const side of [hosts.laptop, hosts.build]) side.roots.cleanup();
  hosts.dir.cleanup();
}

type As = (side: HostSide, session: string, args: string[]) => Promise<CliResult>;

/** alice lives on build, bob on laptop; operator `user` is on every host. */
export function writeHostBundle(
  roots: TempRoots,
  bundle: string,
  leaves: Record<string, NatsServer>,
  sessions: string[] = [
    '[[sessions]]\nid = "alice"\ndirectory = "/tmp"\nhost = "build"',
    '[[sessions]]\nid = "bob"\ndirectory = "/tmp"\nhost = "laptop"',
  ],
): void {
  mkdirSync(join(roots.configDir, 'bundles'), { recursive: true });
  const hosts = Object.entries(leaves).map(([id, leaf]) => `[[hosts]]\nid = "${id}"\nnats = "${leaf.url}"\n`);
  writeFileSync(
    join(roots.configDir, 'bundles', `${bundle}.toml`),
    ['format-version = 1', '', ...hosts, ...sessions, ''].join('\n'),
  );
  writeFileSync(
    join(roots.configDir, 'tui.toml'),
    `default-bundle = "${bundle}"\ndefault-session = "user"\n[[sessions]]\nid = "user"\n`,
  );
}

export interface Seen {
  id: string;
  from: string;
  body: string;
}

export async function inboxOf(as: As, side: HostSide, session: string): Promise<Seen[]> {
  const result = await as(side, session, ['inbox', '--peek', '--json', '--limit', '1000']);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Seen[];
}

export interface Sent extends Seen {
  deliveries: { recipient: string; state: string }[];
}

export async function historyOf(as: As, side: HostSide, session: string): Promise<Sent[]> {
  const result = await as(side, session, ['history', '--json', '--limit', '1000']);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Sent[];
}
