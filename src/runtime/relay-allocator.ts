// The relay's malloc setting. glibc raises its mmap threshold to the size of the largest
// mapped block it freed (up to 32 MiB): after the first large message, every message-sized
// buffer (the frame read from a socket, the encoded notice subscribers share, SQLite's copies
// of the body) comes from the main heap instead of a mapping of its own. Freed, those blocks
// stay resident: the heap only shrinks from its top, and long-lived small blocks allocated
// between them (SQLite's page cache among them) pin it. Measured after 600 messages of
// 250 KiB and a full collection: 101 MiB of main heap, 29 MiB of it in use. A fixed threshold
// turns the raise off, so each large buffer is mapped on its own and unmapped when freed.
// glibc reads it from the environment at start only, hence here and not in the relay.

/** Blocks from this size on get their own mapping (glibc's initial threshold, kept fixed). */
export const RELAY_MMAP_THRESHOLD_BYTES = 128 * 1024;

const THRESHOLD_VARIABLE = 'MALLOC_MMAP_THRESHOLD_';
/** Names the variable the spawner added, so the relay removes only what was not the user's. */
const ADDED_MARK = 'AGENTMUX_RELAY_MALLOC';

/** The relay's environment with the fixed threshold, unless the caller chose a threshold. */
export function withRelayAllocator(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env[THRESHOLD_VARIABLE] !== undefined) return env;
  if (env.GLIBC_TUNABLES?.includes('glibc.malloc.mmap_threshold')) return env;
  return { ...env, [THRESHOLD_VARIABLE]: String(RELAY_MMAP_THRESHOLD_BYTES), [ADDED_MARK]: THRESHOLD_VARIABLE };
}

/**
 * Removes what `withRelayAllocator` added from the running relay's environment (glibc has read
 * it already), so the tmux server, panes and workers it starts do not inherit the setting.
 */
export function forgetRelayAllocator(env: NodeJS.ProcessEnv = process.env): void {
  if (env[ADDED_MARK] !== THRESHOLD_VARIABLE) return;
  delete env[THRESHOLD_VARIABLE];
  delete env[ADDED_MARK];
}
