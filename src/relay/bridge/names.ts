// Every NATS subject, stream and consumer name the bridge uses, built in one place.
// Subjects are partitioned by origin host so no two JetStream domains capture the same
// subject (reference/nats-jetstream.md §5): agentmux.<bundle>.<fromHost>.<toHost>.<kind>.

/** The hub's JetStream domain; host ids may not take it. */
export const HUB_DOMAIN = 'hub';
/** The durable consumer each relay reads its IN stream with. */
export const INBOUND_CONSUMER = 'relay';
/** A message for a session on the destination host. */
export const KIND_MESSAGE = 'm';
/** A delivery report back to the sender's host. */
export const KIND_REPORT = 'r';

// Bundle ids may contain `.`, which splits a subject token and is not allowed in stream names.
const token = (bundle: string): string => bundle.replaceAll('.', '~');

export interface BridgeNames {
  outStream: string;
  inStream: string;
  hubStream: string;
  outStreamOf(host: string): string;
  /** Where this host publishes a `kind` for `toHost`. */
  subject(toHost: string, kind: string): string;
  /** What the local OUT stream captures. */
  outSubjects: string;
  /** What the IN stream takes from the hub: everything addressed to this host. */
  inFilter: string;
  /** Core-NATS heartbeats (never captured by a stream). */
  presence(host: string): string;
  presenceAll: string;
}

export function bridgeNames(bundle: string, local: string): BridgeNames {
  const b = token(bundle);
  const outStreamOf = (host: string): string => `AM_${b}_OUT_${host}`;
  return {
    outStream: outStreamOf(local),
    inStream: `AM_${b}_IN_${local}`,
    hubStream: `AM_${b}`,
    outStreamOf,
    subject: (toHost, kind) => `agentmux.${b}.${local}.${toHost}.${kind}`,
    outSubjects: `agentmux.${b}.${local}.>`,
    inFilter: `agentmux.${b}.*.${local}.>`,
    presence: (host) => `agentmux-presence.${b}.${host}`,
    presenceAll: `agentmux-presence.${b}.*`,
  };
}

/** The origin host of a bridged subject (its third token). */
export function originOf(subject: string): string | undefined {
  return subject.split('.')[2];
}
