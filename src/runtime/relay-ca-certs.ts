// The relay's NODE_EXTRA_CA_CERTS. Node 20 reads and parses that certificate file while it
// starts, before any of our code runs: with the system bundle (~150 certificates) that is
// ~50 ms of CPU, a tenth of a first use (bench/bootstrap.mjs). The relay itself only makes TLS
// connections through the NATS bridge of a bundle with [[hosts]], so the spawner leaves the
// variable out for a bundle file that does not mention hosts (relay-env.ts); the relay puts it
// back into its environment at once, so the tmux server, panes, agents and workers it starts
// have it as the caller did. Should a reload add [[hosts]] later, the bridge passes the file
// to its TLS connections itself (`relayExtraCaCertsLeftOut`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callerValueRestored, withRelayOnly } from './relay-env.js';

const VARIABLE = 'NODE_EXTRA_CA_CERTS';

/** True when the bundle file may declare hosts (unreadable counts as may: keep the certificates). */
function mayDeclareHosts(bundleFile: string): boolean {
  try {
    return /hosts/i.test(readFileSync(bundleFile, 'utf8'));
  } catch {
    return true;
  }
}

/** `env` without NODE_EXTRA_CA_CERTS (for the relay process alone) unless the bundle may need it. */
export function withoutRelayExtraCaCerts(
  env: NodeJS.ProcessEnv,
  bundle: { configDir: string; bundle: string },
): NodeJS.ProcessEnv {
  const path = env[VARIABLE];
  if (path === undefined || path === '') return env;
  if (mayDeclareHosts(join(bundle.configDir, 'bundles', `${bundle.bundle}.toml`))) return env;
  return withRelayOnly(env, { [VARIABLE]: undefined });
}

/** The certificate file this relay process was started without, if any (its TLS connections must add it). */
export function relayExtraCaCertsLeftOut(): string | undefined {
  return callerValueRestored(VARIABLE) ?? undefined;
}
