// The multi-host bridge: messages for sessions on other hosts go from the journal to this
// host's NATS leaf (JetStream, the ULID as Nats-Msg-Id), and messages for sessions here come
// from the leaf's IN stream into the journal (idempotently) and are delivered as any other.
// Loaded with `await import()` only by a relay whose bundle has [[hosts]].
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AgentmuxError } from '../../core/errors.js';
import { relayExtraCaCertsLeftOut } from '../../runtime/index.js';
import { FINAL_DELIVERY_STATES, type Message } from '../../core/protocol/index.js';
import type { RelayCore } from '../relay-core.js';
import { canonicalAddress, hostOf, isRemote, sessionPart, type HostMap } from './hosts.js';
import { bridgeNames, HUB_DOMAIN, INBOUND_CONSUMER, KIND_MESSAGE, KIND_REPORT, originOf } from './names.js';
import type { BridgeNames } from './names.js';
import {
  BridgedMessageSchema,
  copiesIn,
  insertBridged,
  mergeCopies,
  type BridgedMessage,
  type InsertOutcome,
} from './inbound.js';
import { BridgedReportEntrySchema, ReportBatches, reportEntry, reportsOf } from './report-batches.js';
import { ReportOutbox, type PendingReport } from './report-outbox.js';
import { Presence } from './presence.js';
import { applyRemoteStates, forgetRemoteStates, hostedStates } from './remote-states.js';
import { RETRY_MAX_MS, RETRY_MS, SerialPublisher } from './publisher.js';
import { ensureHubStream, ensureLocalStreams } from './streams.js';

export interface BridgeOptions {
  core: RelayCore;
  hosts: HostMap;
  /** This host's leaf server (its `[[hosts]]` nats URL). */
  natsUrl: string;
  /** The bundle's state directory (bridge.db lives there). */
  dir: string;
}

/** What the rest of the relay sees of the bridge. */
export interface RelayBridge {
  /** Starts taking delivery for a session on another host (idempotent). */
  route(address: string): void;
  /** True when `host`'s relay was heard from lately (this host: connected to its leaf). */
  reachable(host: string): boolean;
  close(): Promise<void>;
}

/** Starts the bridge; connecting and stream set-up go on in the background until they succeed. */
export function startBridge(options: BridgeOptions): RelayBridge {
  return new NatsBridge(options);
}

class NatsBridge implements RelayBridge {
  private readonly core: RelayCore;
  private readonly hosts: HostMap;
  private readonly names: BridgeNames;
  private readonly outbox: ReportOutbox;
  private readonly publisher = new SerialPublisher(mergeCopies);
  private readonly reports = new ReportBatches((origin, reports) => this.publishReports(origin, reports));
  private readonly presence: Presence;
  private readonly stopAnnouncing: () => void;
  private readonly routed = new Set<string>();
  private readonly closing = new AbortController();
  private nc: NatsConnection | undefined;
  private readonly running: Promise<void>;

  constructor(private readonly options: BridgeOptions) {
    this.core = options.core;
    this.hosts = options.hosts;
    this.names = bridgeNames(this.core.team.bundle.id, this.hosts.local);
    this.outbox = ReportOutbox.open(join(options.dir, 'bridge.db'));
    this.presence = new Presence(this.names, this.hosts.local, {
      snapshot: () => hostedStates(this.core, this.hosts),
      heard: (host, beat) => {
        if (beat !== undefined) applyRemoteStates(this.core, this.hosts, host, beat);
      },
      lost: (host) => forgetRemoteStates(this.core, this.hosts, host),
    });
    // The other hosts learn a hosted session's new state at once, not at the next heartbeat.
    this.stopAnnouncing = this.core.registry.onChange((id) => {
      if (this.hosts.pinned.get(id) === this.hosts.local) this.presence.announce();
    });
    this.core.router.onChange(({ message, recipient, state, reason }) => {
      if (!FINAL_DELIVERY_STATES.has(state) || isRemote(this.hosts, recipient)) return;
      const origin = hostOf(this.hosts, message.from);
      if (origin === this.hosts.local) return;
      this.report({ id: message.id, recipient, origin, state: state === 'delivered' ? 'delivered' : 'failed', reason });
    });
    for (const report of this.outbox.pending()) this.reports.add(report);
    for (const [session, host] of this.hosts.pinned) if (host !== this.hosts.local) this.route(session);
    // Other recipients with open copies (e.g. `user@laptop`): one row per recipient, not one
    // per open delivery, however many a long offline spell left.
    for (const recipient of this.core.journal.openCountsByRecipient().keys()) {
      if (isRemote(this.hosts, recipient)) this.route(recipient);
    }
    this.running = this.run();
  }

  route(address: string): void {
    if (this.routed.has(address)) return;
    this.routed.add(address);
    this.core.router.attach(address, { id: -1, push: (message) => this.forward(address, message) });
  }

  reachable(host: string): boolean {
    if (host === this.hosts.local) return this.nc !== undefined && !this.nc.isClosed();
    return this.presence.heard(host);
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.reports.close();
    this.publisher.close();
    this.stopAnnouncing();
    this.presence.close();
    await this.nc?.close().catch(() => undefined);
    await this.running.catch(() => undefined);
    this.outbox.close();
  }

  /** Queues a journaled message for a session on another host, in journal order. */
  private forward(address: string, message: Message): void {
    const recipient = sessionPart(address);
    const body: BridgedMessage = {
      recipient,
      message: {
        id: message.id,
        from: message.from,
        to: message.to,
        cc: message.cc,
        subject: message.subject,
        body: message.body,
        reply_to: message.reply_to,
        thread: message.thread,
        created_at: message.created_at,
      },
    };
    this.publisher.enqueue({
      subject: this.names.subject(hostOf(this.hosts, address), KIND_MESSAGE),
      data: JSON.stringify(body),
      // One stream entry per recipient copy: the ULID, then the recipient (copies queued
      // behind one another while a publish is in flight travel as one entry: mergeCopies).
      msgID: `${message.id}.${recipient}`,
      mergeable: true,
    });
  }

  private report(report: PendingReport): void {
    this.outbox.add(report);
    this.reports.add(report);
  }

  private publishReports(origin: string, reports: PendingReport[]): void {
    this.publisher.enqueue({
      subject: this.names.subject(origin, KIND_REPORT),
      ...reportEntry(reports),
      onStored: () => this.outbox.removeAll(reports),
    });
  }

  private async run(): Promise<void> {
    const signal = this.closing.signal;
    const log = this.core.log;
    const nc = await retry(signal, 'bridge.connect', log, () =>
      connect({
        servers: this.options.natsUrl,
        name: `agentmux-relay ${this.core.team.bundle.id}@${this.hosts.local}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        waitOnFirstConnect: true,
        // Each JetStream publish is a request; without this the client captures a stack
        // trace for every one (seen in relay CPU profiles), used only to decorate errors.
        noAsyncTraces: true,
        ...extraCaCertsOption(this.options.natsUrl, log),
      }),
    );
    if (nc === undefined) return;
    this.nc = nc;
    const done = await retry(signal, 'bridge.local_streams', log, async () => {
      await ensureLocalStreams(await jetstreamManager(nc), this.names);
      return true;
    });
    if (done === undefined) return;
    log.info('bridge.ready', { host: this.hosts.local, url: this.options.natsUrl });
    const js = jetstream(nc);
    this.presence.start(nc);
    this.publisher.start(js, (error) => log.warn('bridge.publish_retry', { error: String(error) }));
    // The hub may be down: keep trying in the background; local sends go on meanwhile.
    void retry(signal, 'bridge.hub_stream', log, async () => {
      await ensureHubStream(await jetstreamManager(nc, { domain: HUB_DOMAIN }), this.names, this.hosts.hosts);
      return true;
    });
    await this.consume(js, signal);
  }

  /** Reads the IN stream in order: journal first, then ack (a crash in between redelivers). */
  private async consume(js: JetStreamClient, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const consumer = await js.consumers.get(this.names.inStream, INBOUND_CONSUMER);
        const messages = await consumer.consume({ max_messages: 256 });
        const stop = (): void => void messages.close();
        signal.addEventListener('abort', stop, { once: true });
        // Entries handed over together are journaled in one batch (one commit per turn);
        // each is acked only after its commit, in stream order, and a failure acks no later one.
        let chain: Promise<void> = Promise.resolve();
        let failed: unknown;
        for await (const entry of messages) {
          if (failed !== undefined) break;
          const received = this.receiveSafely(entry);
          chain = chain.then(async () => {
            await received;
            entry.ack();
          });
          chain.catch((error: unknown) => {
            failed ??= error;
            stop();
          });
        }
        signal.removeEventListener('abort', stop);
        await chain;
      } catch (error) {
        if (signal.aborted) return;
        this.core.log.warn('bridge.consume_retry', { error: String(error) });
        await pause(RETRY_MS * 4, signal);
      }
    }
  }

  /** Bad entries are logged and skipped (acked); a journal failure stops the loop unacked. */
  private async receiveSafely(entry: JsMsg): Promise<void> {
    try {
      await this.receive(entry);
    } catch (error) {
      const poisoned =
        error instanceof SyntaxError || (error instanceof AgentmuxError && error.code.startsWith('validation_'));
      if (!poisoned) throw error;
      this.core.log.warn('bridge.bad_entry', { subject: entry.subject, seq: entry.seq, error: String(error) });
    }
  }

  private async receive(entry: JsMsg): Promise<void> {
    const origin = originOf(entry.subject);
    const kind = entry.subject.split('.').at(-1);
    if (origin === undefined || !this.hosts.hosts.has(origin)) {
      this.core.log.warn('bridge.unknown_origin', { subject: entry.subject });
      return;
    }
    if (kind === KIND_MESSAGE) {
      // All copies are handed to the journal in this turn: one commit, inserted in order.
      const inserts = copiesIn(entry.json()).map((copy): Promise<InsertOutcome> => {
        const parsed = BridgedMessageSchema.safeParse(copy);
        if (parsed.success) return insertBridged(this.core, this.hosts, origin, parsed.data);
        this.core.log.warn('bridge.bad_entry', { subject: entry.subject, seq: entry.seq });
        return Promise.resolve({});
      });
      for (const outcome of await Promise.all(inserts)) {
        if (outcome.settled !== undefined) this.report({ ...outcome.settled, origin });
      }
      return;
    }
    if (kind === KIND_REPORT) {
      const parsed = BridgedReportEntrySchema.safeParse(entry.json());
      if (!parsed.success) {
        this.core.log.warn('bridge.bad_entry', { subject: entry.subject, seq: entry.seq });
        return;
      }
      for (const report of reportsOf(parsed.data)) {
        const message = this.core.journal.getMessage(report.id);
        if (message === undefined) continue;
        const address = canonicalAddress(this.hosts, `${report.recipient}@${origin}`);
        this.core.router.settleRemote(address, message.seq, report.state, report.reason);
      }
    }
  }
}

/** Runs `work` until it succeeds or the bridge closes (undefined), backing off between tries. */
async function retry<T>(
  signal: AbortSignal,
  event: string,
  log: RelayCore['log'],
  work: () => Promise<T>,
): Promise<T | undefined> {
  for (let delay = RETRY_MS; !signal.aborted; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
    try {
      return await work();
    } catch (error) {
      if (signal.aborted) return undefined;
      log.warn(event, { error: String(error) });
      await pause(delay, signal);
    }
  }
  return undefined;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A relay auto-started for a bundle without [[hosts]] runs without the caller's
 * NODE_EXTRA_CA_CERTS (src/runtime/relay-ca-certs.ts); once a reload adds hosts, a tls:// URL
 * gets those certificates as its trusted CAs, next to node's own.
 */
export function extraCaCertsOption(
  url: string,
  log: RelayCore['log'],
): { tls: { ca: string } } | Record<string, never> {
  const file = relayExtraCaCertsLeftOut();
  if (file === undefined) return {};
  if (!url.startsWith('tls://')) {
    log.warn('bridge.extra_ca_certs_unused', {
      file,
      hint: 'this relay started without NODE_EXTRA_CA_CERTS; use a tls:// URL, or restart the relay, if the NATS server needs those certificates',
    });
    return {};
  }
  try {
    return { tls: { ca: [...rootCertificates, readFileSync(file, 'utf8')].join('\n') } };
  } catch (error) {
    log.warn('bridge.extra_ca_certs_unreadable', {
      file,
      error: error instanceof Error ? error.message : String(error),
    });
    return {};
  }
}
