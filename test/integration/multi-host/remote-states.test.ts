// A session's real state lives on its own host's relay; the other hosts learn it from the
// presence heartbeats (real hub, real leaves, two real relays as two hosts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import type { StatusSnapshot } from '../../../src/core/protocol/index.js';
import { relayPid, runCli } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { natsSkipReason } from '../../helpers/nats-servers.js';
import { writeHostBundle, startTwoHosts, stopTwoHosts, type HostSide, type TwoHosts } from './two-hosts.js';

const skip = natsSkipReason();
const BUNDLE = 'team';

let hosts: TwoHosts;
let laptop: HostSide;
let build: HostSide;
const clients: RelayClient[] = [];

beforeEach(async () => {
  if (skip) return;
  hosts = await startTwoHosts('xstate');
  ({ laptop, build } = hosts);
  const { leaves } = hosts;
  for (const side of [laptop, build]) writeHostBundle(side.roots, BUNDLE, leaves);
});

afterEach(async () => {
  if (skip) return;
  for (const client of clients.splice(0)) client.close();
  await stopTwoHosts(hosts, BUNDLE);
});

const as = (side: HostSide, session: string, args: string[]) =>
  runCli(side.roots, [...args, '--bundle', BUNDLE, '--as-session', session], { env: { AGENTMUX_HOST: side.host } });

interface Listed {
  id: string;
  state: string;
  host?: string;
  reachable?: boolean;
}

async function aliceOn(side: HostSide): Promise<Listed | undefined> {
  const result = await as(side, 'user', ['list', '--json']);
  if (result.code !== 0) throw new Error(result.stderr);
  return (JSON.parse(result.stdout) as { sessions: Listed[] }).sessions.find((s) => s.id === 'alice');
}

/** Opens a relay connection (the CLI call first starts the relay with its AGENTMUX_HOST). */
async function connect(side: HostSide, session: string): Promise<RelayClient> {
  const listed = await as(side, 'user', ['list', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  const client = await connectTo(side.roots, BUNDLE, session);
  clients.push(client);
  return client;
}

describe.skipIf(skip !== undefined)(`remote session states${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it("shows a session's state on another host as its own host has it, and offline once that host is gone", async () => {
    const watcher = await connect(laptop, 'user');
    const pushed: { method: string; alice: Listed | undefined }[] = [];
    watcher.on('session.updated', ({ session }) => {
      if (session.id === 'alice') pushed.push({ method: 'session.updated', alice: session });
    });
    watcher.on('relay.status', ({ status }) => {
      pushed.push({ method: 'relay.status', alice: status.sessions.find((s) => s.id === 'alice') });
    });
    await watcher.request('subscribe', { events: true });
    expect(await aliceOn(laptop)).toMatchObject({ host: 'build', state: 'offline' });

    // alice connects on build (a socket session: ready while connected), then her hook says busy.
    const alice = await connect(build, 'alice');
    await waitFor(async () => (await aliceOn(laptop))?.state === 'idle', 30_000, 'alice ready on laptop');
    expect(await aliceOn(laptop)).toMatchObject({ host: 'build', reachable: true, state: 'idle' });
    await alice.request('session.report', { state: 'busy', event: 'UserPromptSubmit' });
    await waitFor(async () => (await aliceOn(laptop))?.state === 'busy', 30_000, 'alice busy on laptop');
    await waitFor(
      () => pushed.some((p) => p.method === 'session.updated' && p.alice?.state === 'busy'),
      30_000,
      'session.updated pushed to the laptop dashboard',
    );
    const statusLine = async (): Promise<string> => (await as(laptop, 'user', ['status', '--format', 'text'])).stdout;
    await waitFor(async () => (await statusLine()).includes('alice@build busy'), 30_000, 'status line busy');
    const status = JSON.parse((await as(laptop, 'user', ['status', '--json'])).stdout) as StatusSnapshot;
    expect(status.sessions.find((s) => s.id === 'alice')).toMatchObject({ state: 'busy', reachable: true });

    // build goes down (its relay killed): laptop stops hearing it and shows alice offline.
    process.kill(relayPid(build.roots, BUNDLE) ?? 0, 'SIGKILL');
    await waitFor(async () => (await aliceOn(laptop))?.reachable === false, 30_000, 'build unreachable');
    expect(await aliceOn(laptop)).toMatchObject({ host: 'build', reachable: false, state: 'offline' });
    await waitFor(
      () => pushed.some((p) => p.method === 'relay.status' && p.alice?.reachable === false),
      30_000,
      'relay.status pushed with build unreachable',
    );
    await waitFor(
      () => pushed.some((p) => p.method === 'session.updated' && p.alice?.state === 'offline'),
      30_000,
      'session.updated pushed with alice offline',
    );
    expect(await statusLine()).toContain('alice@build host offline');
  }, 120_000);
});
