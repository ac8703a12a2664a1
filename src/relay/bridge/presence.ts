// Which other hosts' relays are up and linked: each relay says so on core NATS every
// HEARTBEAT_MS (never stored; a subject no stream captures), and a host heard from within
// REACHABLE_MS counts as reachable in `list`.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { BridgeNames } from './names.js';

export const HEARTBEAT_MS = 1_000;
export const REACHABLE_MS = 3_500;

export class Presence {
  private readonly lastHeard = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;

  constructor(
    private readonly names: BridgeNames,
    private readonly local: string,
  ) {}

  start(nc: NatsConnection): void {
    const beat = (): void => {
      if (!nc.isClosed()) nc.publish(this.names.presence(this.local));
    };
    beat();
    this.timer = setInterval(beat, HEARTBEAT_MS);
    this.timer.unref();
    this.subscription = nc.subscribe(this.names.presenceAll, {
      callback: (error, message) => {
        if (error) return;
        const host = message.subject.split('.').at(-1);
        if (host !== undefined && host !== this.local) this.lastHeard.set(host, Date.now());
      },
    });
  }

  heard(host: string): boolean {
    const at = this.lastHeard.get(host);
    return at !== undefined && Date.now() - at < REACHABLE_MS;
  }

  close(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }
}
