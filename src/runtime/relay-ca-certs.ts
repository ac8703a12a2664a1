// The relay's NODE_EXTRA_CA_CERTS. Node 20 reads and parses that certificate file while it
// starts, before any of our code runs: with the system bundle (~150 certificates) that is
// ~50 ms of CPU, a tenth of a first use (bench/bootstrap.mjs). The relay itself only makes TLS
// connections through the NATS bridge of a bundle with [[hosts]], so the spawner leaves the
// variable out for a bundle file that does not mention hosts, and stashes it; the relay puts it
// back into its environment at once, so the tmux server, panes, agents and workers it starts
// have it as the caller did. Should a reload add [[hosts]] later, the bridge passes the file
// to its TLS connections itself (`relayExtraCaCertsLeftOut`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const VARIABLE = 'NODE_EXTRA_CA_CERTS';
/** Holds the caller's NODE_EXTRA_CA_CERTS while the relay starts without it. */
const STASH_VARIABLE = 'AGENTMUX_RELAY_EXTRA_CA_CERTS';

/** Set by `forgetRelayExtraCaCerts` when this process started without the caller's extra certificates. */
let leftOut: string | undefined;

/** True when the bundle file may declare hosts (unreadable counts as may: keep the certificates). */
function mayDeclareHosts(bundleFile: string): boolean {
  try {
    return /hosts/i.test(readFileSync(bundleFile, 'utf8'));
  } catch {
    return true;
  }
}

/** `env` without NODE_EXTRA_CA_CERTS (stashed for the relay to restore) unless the bundle may need it. */
export function withoutRelayExtraCaCerts(
  env: NodeJS.ProcessEnv,
  bundle: { configDir: string; bundle: string },
): NodeJS.ProcessEnv {
  const path = env[VARIABLE];
  if (path === undefined || path === '') return env;
  if (mayDeclareHosts(join(bundle.configDir, 'bundles', `${bundle.bundle}.toml`))) return env;
  const { [VARIABLE]: _dropped, ...rest } = env;
  return { ...rest, [STASH_VARIABLE]: path };
}

/** In the relay: gives the environment back the caller's NODE_EXTRA_CA_CERTS, remembering that this process runs without it. */
export function forgetRelayExtraCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const path = env[STASH_VARIABLE];
  if (path === undefined) return;
  delete env[STASH_VARIABLE];
  // A caller that set the variable itself since (a test, say) wins.
  if (env[VARIABLE] === undefined) env[VARIABLE] = path;
  leftOut = path;
}

/** The certificate file this relay process was started without, if any (its TLS connections must add it). */
export function relayExtraCaCertsLeftOut(): string | undefined {
  return leftOut;
}
