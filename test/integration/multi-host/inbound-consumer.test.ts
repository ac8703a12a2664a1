// A relay killed while holding inbound entries it had not acked: its restart must read them
// first, at once, not after ack_wait behind newer ones (real hub and leaves).
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bridgeNames, HUB_DOMAIN, INBOUND_CONSUMER, KIND_MESSAGE } from '../../../src/relay/bridge/names.js';
import { ensureHubStream, ensureLocalStreams } from '../../../src/relay/bridge/streams.js';
import { waitFor } from '../../helpers/client.js';
import {
  natsSkipReason,
  startHub,
  startLeaf,
  stopAllNatsServers,
  type NatsServer,
} from '../../helpers/nats-servers.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const skip = natsSkipReason();
const laptopNames = bridgeNames('team', 'laptop');
const buildNames = bridgeNames('team', 'build');

let dir: TempRoots;
let leaves: Record<'laptop' | 'build', NatsServer>;
const connections: NatsConnection[] = [];

beforeEach(async () => {
  if (skip) return;
  dir = makeTempRoots('xconsumer');
  const hub = await startHub(dir.root);
  leaves = { laptop: await startLeaf(dir.root, 'laptop', hub), build: await startLeaf(dir.root, 'build', hub) };
});

afterEach(async () => {
  if (skip) return;
  for (const nc of connections.splice(0)) await nc.close().catch(() => undefined);
  await stopAllNatsServers();
  dir.cleanup();
});

async function open(server: NatsServer): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url });
  connections.push(nc);
  return nc;
}

async function inboundCount(nc: NatsConnection): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(buildNames.inStream)).state.messages;
}

/** Takes up to `max` entries from build's inbound consumer; acks them when told to. */
async function take(nc: NatsConnection, max: number, ack: boolean): Promise<string[]> {
  const consumer = await jetstream(nc).consumers.get(buildNames.inStream, INBOUND_CONSUMER);
  const batch = await consumer.fetch({ max_messages: max, expires: 3_000 });
  const seen: string[] = [];
  for await (const entry of batch) {
    seen.push(entry.string());
    if (ack) entry.ack();
  }
  return seen;
}

describe.skipIf(skip !== undefined)(`inbound consumer${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('hands a restarted relay the entries its dead predecessor had not acked first, in stream order', async () => {
    const laptop = await open(leaves.laptop);
    const build = await open(leaves.build);
    await ensureLocalStreams(await jetstreamManager(laptop), laptopNames);
    await ensureLocalStreams(await jetstreamManager(build), buildNames);
    await ensureHubStream(await jetstreamManager(laptop, { domain: HUB_DOMAIN }), laptopNames, ['laptop', 'build']);
    const js = jetstream(laptop);
    const publish = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += 1) {
        await js.publish(laptopNames.subject('build', KIND_MESSAGE), `n${i}`, { msgID: `n${i}` });
      }
    };

    await publish(0, 5);
    await waitFor(async () => (await inboundCount(build)) === 5, 30_000, 'first entries sourced to build');
    // The first relay takes them and dies before it acks (its connection just goes away).
    const dead = await open(leaves.build);
    expect(await take(dead, 5, false)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    await dead.close();

    await publish(5, 10);
    await waitFor(async () => (await inboundCount(build)) === 10, 30_000, 'later entries sourced to build');
    // The restarted relay sets its streams up again, then reads: everything, oldest first.
    await ensureLocalStreams(await jetstreamManager(build), buildNames);
    const seen = await take(build, 10, true);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `n${i}`));

    // A clean restart (nothing unacked) keeps the consumer where it was.
    await ensureLocalStreams(await jetstreamManager(build), buildNames);
    await publish(10, 11);
    expect(await take(build, 1, true)).toEqual(['n10']);
  }, 60_000);
});
