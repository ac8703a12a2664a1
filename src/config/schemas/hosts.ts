// `[[hosts]]` of a bundle file: the machines a multi-host bundle spans and the NATS leaf
// server each host's relay talks to (docs/multi-host.md).
import { z } from 'zod';

import { patternSchema, requiredTextSchema } from './common.js';

/**
 * A host id: one NATS subject token and a JetStream domain name, so no `.`, `*`, `>` or
 * spaces; `hub` is the hub's domain.
 */
export const HOST_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const hostIdSchema = patternSchema(
  HOST_ID_PATTERN,
  'host id',
  'host ids are 1 to 32 lower-case letters, digits and -, starting with a letter or digit',
).refine((id) => id !== 'hub', {
  message: '"hub" is the hub\'s JetStream domain, not a host id',
  params: { hint: 'pick another id for this host' },
});

const NATS_SCHEMES = new Set(['nats:', 'tls:']);

/** A NATS client URL: nats:// or tls://, a host and a port. */
export const natsUrlSchema = requiredTextSchema.superRefine((text, context) => {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !NATS_SCHEMES.has(url.protocol) || url.hostname === '' || url.port === '') {
    context.addIssue({
      code: 'custom',
      message: `"${text}" is not a NATS URL`,
      params: { hint: "write nats://HOST:PORT (or tls://HOST:PORT), the client port of this host's leaf server" },
    });
    return;
  }
  if (url.username !== '' || url.password !== '') {
    context.addIssue({
      code: 'custom',
      message: 'credentials do not belong in the bundle file',
      params: {
        hint: "keep the relay's URL on loopback; put TLS and credentials on the leaf link (docs/multi-host.md)",
      },
    });
  }
});

export const hostSchema = z.strictObject({ id: hostIdSchema, nats: natsUrlSchema });

/** A session's `host` must name a `[[hosts]]` entry. */
export function reportUnknownHosts(
  hosts: readonly { id: string }[],
  sessions: readonly { host?: string | undefined }[],
  refinement: z.RefinementCtx,
): void {
  const ids = new Set(hosts.map((host) => host.id));
  sessions.forEach((session, index) => {
    if (session.host === undefined || ids.has(session.host)) return;
    refinement.addIssue({
      code: 'custom',
      path: ['sessions', index, 'host'],
      message: `unknown host "${session.host}"`,
      params: {
        hint:
          ids.size === 0
            ? 'add a [[hosts]] entry with id and nats, or remove host'
            : `name one of the [[hosts]] ids: ${[...ids].join(', ')}`,
      },
    });
  });
}
