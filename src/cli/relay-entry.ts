// The `agentmux host relay` entry, built on its own as one CommonJS file (dist/relay.cjs) that
// bin/agentmux loads with V8's code cache (bin/code-cache.cjs): a relay start, on every first
// use, then compiles none of its ~1 MB of code and resolves no chunks. What the fast path does
// not handle (help, unusual flags) goes to the full CLI.
import { runFastPath } from './fast-path.js';

export { RELAY_HEAP_FLAGS, withRelayHeapLimits } from '../runtime/relay-heap.js';

/** Runs the relay; resolves to false when the full CLI should run the command instead. */
export async function runRelayArgv(argv: string[], startup: Record<string, unknown> = {}): Promise<boolean> {
  return (await runFastPath(argv, { relayStartup: startup })) === true;
}
