// Which other hosts' relays are up and linked, and what their sessions are doing: each relay
// says so on core NATS every HEARTBEAT_MS and at once when one of its sessions changes state
// (never stored; a subject no stream captures). A host heard from within REACHABLE_MS counts
// as reachable in `list`; each beat carries the full state of the sender's sessions, so a lost
// beat is made good by the next one.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { BridgeNames } from './names.js';
import { parseBeat, type PresenceBeat } from './remote-states.js';

export const HEARTBEAT_MS = 1_000;
export const REACHABLE_MS = 3_500;

/** What presence asks of and tells the bridge. */
export interface PresenceEvents {
  /** This host's beat: the states of the sessions it hosts. */
  snapshot(): PresenceBeat;
  /** `host` spoke; `beat` is undefined when it shared no states. */
  heard(host: string, beat: PresenceBeat | undefined): void;
  /** `host` was not heard from for REACHABLE_MS (checked once a heartbeat). */
  lost(host: string): void;
}

export class Presence {
  private readonly lastHeard = new Map<string, number>();
  /** Hosts heard from and not yet reported lost. */
  private readonly live = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private nc: NatsConnection | undefined;
  private announcing = false;

  constructor(
    private readonly names: BridgeNames,
    private readonly local: string,
    private readonly events: PresenceEvents,
  ) {}

  start(nc: NatsConnection): void {
    this.nc = nc;
    this.beat();
    this.timer = setInterval(() => {
      this.beat();
      this.sweep();
    }, HEARTBEAT_MS);
    this.timer.unref();
    this.subscription = nc.subscribe(this.names.presenceAll, {
      callback: (error, message) => {
        if (error) return;
        const host = message.subject.split('.').at(-1);
        if (host === undefined || host === this.local) return;
        this.lastHeard.set(host, Date.now());
        this.live.add(host);
        this.events.heard(host, parseBeat(message.data));
      },
    });
  }

  /** A hosted session changed: beat now (once for all changes of this turn of the event loop). */
  announce(): void {
    if (this.nc === undefined || this.announcing) return;
    this.announcing = true;
    setImmediate(() => {
      this.announcing = false;
      this.beat();
    });
  }

  heard(host: string): boolean {
    const at = this.lastHeard.get(host);
    return at !== undefined && Date.now() - at < REACHABLE_MS;
  }

  close(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
    this.nc = undefined;
  }

  private beat(): void {
    const nc = this.nc;
    if (nc === undefined || nc.isClosed()) return;
    try {
      nc.publish(this.names.presence(this.local), JSON.stringify(this.events.snapshot()));
    } catch {
      // Closing under us: the next beat (or none) says it again.
    }
  }

  private sweep(): void {
    for (const host of this.live) {
      if (this.heard(host)) continue;
      this.live.delete(host);
      this.events.lost(host);
    }
  }
}
