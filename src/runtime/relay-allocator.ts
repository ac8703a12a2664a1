// The relay's malloc setting. glibc raises its mmap threshold to the size of the largest
// mapped block it freed (up to 32 MiB): after the first large message, every message-sized
// buffer (the frame read from a socket, the encoded notice subscribers share, SQLite's copies
// of the body) comes from the main heap instead of a mapping of its own. Freed, those blocks
// stay resident: the heap only shrinks from its top, and long-lived small blocks allocated
// between them (SQLite's page cache among them) pin it. Measured after 600 messages of
// 250 KiB and a full collection: 101 MiB of main heap, 29 MiB of it in use. A fixed threshold
// turns the raise off, so each large buffer is mapped on its own and unmapped when freed.
// A fixed threshold also fixes glibc's trim threshold at its 128 KiB default: every free()
// that left more than that at the heap's top shrank the heap with brk, and the next message
// grew it again. Shrinking unmaps pages, which flushes the TLB of every CPU the relay's
// threads ran on (an inter-processor interrupt each, costly in a VM): in a profile of
// cross-host sends, brk and the page faults after it were a quarter of each relay's CPU
// (~1,200 brk calls per 300 messages; none with a 4 MiB trim threshold).
// glibc reads both from the environment at start only, hence set by the spawner (relay-env.ts).
import { withRelayOnly } from './relay-env.js';

/** Blocks from this size on get their own mapping (glibc's initial threshold, kept fixed). */
export const RELAY_MMAP_THRESHOLD_BYTES = 128 * 1024;
/** Free memory at the heap's top kept for the next messages instead of handed back with brk. */
export const RELAY_TRIM_THRESHOLD_BYTES = 4 * 1024 * 1024;

const SETTINGS: ReadonlyArray<{ variable: string; tunable: string; bytes: number }> = [
  { variable: 'MALLOC_MMAP_THRESHOLD_', tunable: 'glibc.malloc.mmap_threshold', bytes: RELAY_MMAP_THRESHOLD_BYTES },
  { variable: 'MALLOC_TRIM_THRESHOLD_', tunable: 'glibc.malloc.trim_threshold', bytes: RELAY_TRIM_THRESHOLD_BYTES },
];

/** The relay's environment with the fixed thresholds, except those the caller chose itself. */
export function withRelayAllocator(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const missing = SETTINGS.filter(
    ({ variable, tunable }) => env[variable] === undefined && !(env.GLIBC_TUNABLES?.includes(tunable) ?? false),
  );
  if (missing.length === 0) return env;
  return withRelayOnly(env, Object.fromEntries(missing.map(({ variable, bytes }) => [variable, String(bytes)])));
}
