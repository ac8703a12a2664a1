// The relay's V8 heap limits (budget: < 120 MB RSS with 50 sessions and 100k messages). By
// default V8 sizes the heap for the machine's RAM: under a burst of sends the young generation
// grew to 32 MB and the old space to ~4× what was live before a full collection, ~70 MB of
// garbage. A 1 GiB old-space limit (far above what the relay keeps: its message cache and
// replay ring are bounded at 48 MiB) makes V8 collect at ≤ ~1.6× live, and 4 MiB semi-spaces
// bound the young generation. V8 reads them at start only, hence NODE_OPTIONS from the spawner
// (for the relay alone: relay-env.ts).
import { withRelayOnly } from './relay-env.js';

/** Node options the spawner adds for the relay. */
export const RELAY_HEAP_FLAGS: readonly string[] = ['--max-old-space-size=1024', '--max-semi-space-size=4'];

/** `env` with RELAY_HEAP_FLAGS added to NODE_OPTIONS (only the ones it does not set itself). */
export function withRelayHeapLimits(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const current = env.NODE_OPTIONS?.trim() ?? '';
  const options = current.split(/\s+/);
  const missing = RELAY_HEAP_FLAGS.filter((flag) => {
    const name = flag.slice(0, flag.indexOf('='));
    return !options.some((option) => option === name || option.startsWith(`${name}=`));
  });
  if (missing.length === 0) return env;
  return withRelayOnly(env, { NODE_OPTIONS: [current, ...missing].filter((part) => part !== '').join(' ') });
}
