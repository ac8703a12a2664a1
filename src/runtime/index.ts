// Public surface of src/runtime. Locks are exported as types only so that importing this
// index never loads the fs-ext addon; code that locks calls `loadLocks()`.
import type * as Locks from './locks.js';

export { MAX_SOCKET_PATH_BYTES, bundlePaths, checkOwnedArtifact, currentUid, ensureRuntimeDir } from './paths.js';
export type { BundlePaths } from './paths.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_STARTUP_TIMEOUT_MS,
  bootstrapRelay,
  isSocketConnectable,
} from './bootstrap.js';
export type { BootstrapOptions, BootstrapReport, SpawnRelay, SpawnedRelay } from './bootstrap.js';
export { agentProcesses, endProcesses, isProcessAlive, parentPid } from './process-tree.js';
export { peerOrigin } from './peer-process.js';
export type { AgentProcessRoot, PeerOrigin } from './peer-process.js';
export { restoreCallerEnv } from './relay-env.js';
export { relayExtraCaCertsLeftOut } from './relay-ca-certs.js';
export { LOG_TAIL_BYTES, readLogTail, resolveRelayProgram, spawnRelayDetached } from './spawn-relay.js';
export type { SpawnRelayOptions } from './spawn-relay.js';
export type { FileLock, RelayRuntimeLock } from './locks.js';

/** Loads the flock module (and the fs-ext addon) on demand: `const { RelayRuntimeLock } = await loadLocks()`. */
export const loadLocks = (): Promise<typeof Locks> => import('./locks.js');
