// The JetStream layout of one bundle (reference/nats-jetstream.md §5-6): each host's leaf
// stores what it sends in its OUT stream, the hub's stream sources every OUT, and each
// host's IN stream sources what the hub holds for it. Every call is idempotent.
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  StorageType,
  type JetStreamManager,
  type StreamSource,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { HUB_DOMAIN, INBOUND_CONSUMER, type BridgeNames } from './names.js';

/**
 * Longer than any relay takes to come back and re-publish: within it JetStream drops the
 * repeat itself; past it the receiving journal's idempotent insert still does.
 */
export const DUPLICATE_WINDOW_MS = 60 * 60 * 1000;
/** How long an inbound message may stay unacked (a relay killed mid-insert) before it comes again. */
export const INBOUND_ACK_WAIT_MS = 30_000;

/**
 * The OUT and IN streams on this host's leaf, and the relay's durable consumer; called once
 * as the relay's bridge starts, before it reads.
 */
export async function ensureLocalStreams(jsm: JetStreamManager, names: BridgeNames): Promise<void> {
  await ensureStream(jsm, {
    name: names.outStream,
    subjects: [names.outSubjects],
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
  await ensureStream(jsm, {
    name: names.inStream,
    storage: StorageType.File,
    sources: [{ name: names.hubStream, filter_subject: names.inFilter, external: externalApi(HUB_DOMAIN) }],
  });
  const existing = await jsm.consumers.info(names.inStream, INBOUND_CONSUMER).catch(notFound);
  const config = {
    durable_name: INBOUND_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(INBOUND_ACK_WAIT_MS),
  };
  if (existing === undefined) {
    await jsm.consumers.add(names.inStream, config);
    return;
  }
  // A relay that died holding entries it had not acked (or pull requests still open) left
  // them to come again only after ack_wait, behind newer ones: out of order. It is the only
  // reader, so start the consumer again just past the last entry it acked (in order, so the
  // ack floor); entries it journaled but had not acked are inserted once, as any repeat.
  const unacked = existing.delivered.stream_seq > existing.ack_floor.stream_seq || existing.num_waiting > 0;
  if (!unacked) return;
  await jsm.consumers.delete(names.inStream, INBOUND_CONSUMER);
  await jsm.consumers.add(names.inStream, {
    ...config,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: existing.ack_floor.stream_seq + 1,
  });
}

/** The hub's stream, sourcing the OUT stream of every host (missing sources are added). */
export async function ensureHubStream(
  hub: JetStreamManager,
  names: BridgeNames,
  hosts: Iterable<string>,
): Promise<void> {
  const wanted: StreamSource[] = [...hosts].map((host) => ({
    name: names.outStreamOf(host),
    external: externalApi(host),
  }));
  const info = await hub.streams.info(names.hubStream).catch(notFound);
  if (info === undefined) {
    await hub.streams.add({ name: names.hubStream, storage: StorageType.File, sources: wanted });
    return;
  }
  const have = new Set((info.config.sources ?? []).map((source) => source.name));
  const missing = wanted.filter((source) => !have.has(source.name));
  if (missing.length === 0) return;
  await hub.streams.update(names.hubStream, { ...info.config, sources: [...(info.config.sources ?? []), ...missing] });
}

function externalApi(domain: string): { api: string; deliver: string } {
  return { api: `$JS.${domain}.API`, deliver: '' };
}

async function ensureStream(
  jsm: JetStreamManager,
  config: Parameters<JetStreamManager['streams']['add']>[0] & { name: string },
): Promise<void> {
  const info = await jsm.streams.info(config.name).catch(notFound);
  if (info === undefined) await jsm.streams.add(config);
}

function notFound(error: unknown): undefined {
  if (error instanceof JetStreamApiError && error.status === 404) return undefined;
  throw error;
}
