// Reaching a bundle's relay the way every client does: find the roots, start the relay on
// first use (unless told not to), connect and say hello.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Roots } from '../config/index.js';
import { AgentmuxError } from '../core/errors.js';
import {
  bootstrapRelay,
  bundlePaths,
  checkOwnedArtifact,
  ensureRuntimeDir,
  resolveRelayProgram,
  spawnRelayDetached,
  type BundlePaths,
} from '../runtime/index.js';
import { RelayClient, type ClientIdentity } from './relay-client.js';
import type { ProtocolValidator } from './validator.js';

export interface OpenRelayOptions {
  roots: Roots;
  identity: ClientIdentity;
  clientName: string;
  clientVersion: string;
  /** Spawn a relay when none is listening (default true). */
  autoStart?: boolean;
  /** The agentmux entry point used to spawn the relay when $AGENTMUX_COMMAND is unset. */
  entryPoint: string;
  startupTimeoutMs?: number;
  /** Called before a relay is spawned, so slow starts can say what is happening. */
  onSpawn?: () => void;
  /** How frames from the relay are checked (default: the full zod schemas). */
  validator?: ProtocolValidator;
}

/** Connects to the bundle's relay, starting it first when allowed. */
export async function openRelay(options: OpenRelayOptions): Promise<RelayClient> {
  const paths = bundlePaths(options.roots.stateDir, options.identity.bundle);
  const connect = (): Promise<RelayClient> =>
    RelayClient.connect({
      socketPath: paths.socket,
      identity: options.identity,
      clientName: options.clientName,
      clientVersion: options.clientVersion,
      ...(options.validator === undefined ? {} : { validator: options.validator }),
    });
  if (existsSync(paths.socket)) {
    // A relay is usually up: connect straight away, with the bootstrap's trust checks but
    // without its probe connection (one connection instead of two for every command). Only
    // when nothing answers does the bootstrap run (and maybe start one).
    ensureRuntimeDir(paths);
    checkOwnedArtifact(paths.socket);
    try {
      return await connect();
    } catch (error) {
      if (!nobodyListens(error)) throw error;
    }
  }
  await ensureRelay(paths, options);
  return connect();
}

/** The connect itself failed (no hello was sent): a stale or missing socket. */
function nobodyListens(error: unknown): boolean {
  return (
    error instanceof AgentmuxError && error.code === 'relay_unavailable' && error.details?.lost_connection !== true
  );
}

/** Makes sure a relay listens on the bundle's socket (the seed's bootstrap). */
export async function ensureRelay(paths: BundlePaths, options: OpenRelayOptions): Promise<{ spawnedRelay: boolean }> {
  // A mistyped bundle must leave nothing behind (no state directory, no spawn lock): with no
  // bundle file and no relay socket there is nothing to reach or start.
  if (!existsSync(paths.socket) && !existsSync(join(options.roots.configDir, 'bundles', `${paths.bundle}.toml`))) {
    const { unknownBundleError } = await import('../config/load.js');
    throw unknownBundleError(options.roots.configDir, paths.bundle);
  }
  try {
    return await bootstrapRelay(
      paths,
      {
        autoStart: options.autoStart ?? true,
        ...(options.startupTimeoutMs === undefined ? {} : { startupTimeoutMs: options.startupTimeoutMs }),
      },
      () => {
        // Spawned before anything else: the relay reads and validates the configuration
        // itself, so checking it here first only delayed every first use (bench/bootstrap.mjs).
        options.onSpawn?.();
        return spawnRelayDetached({
          program: resolveRelayProgram(options.entryPoint),
          bundle: options.identity.bundle,
          configDir: options.roots.configDir,
          stateDir: options.roots.stateDir,
          paths,
        });
      },
    );
  } catch (error) {
    // A relay that exited while starting most often found the bundle file invalid: report
    // that as the configuration error (file, key, line), not as a log tail. Loaded lazily:
    // clients whose relay starts never pay for the config parser.
    if (error instanceof AgentmuxError && error.code === 'relay_startup_failed') {
      const { loadBundle } = await import('../config/load.js');
      loadBundle(options.roots.configDir, options.identity.bundle);
    }
    throw error;
  }
}
