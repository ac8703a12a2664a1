// The `agentmux host relay` entry, built on its own as one CommonJS file (dist/relay.cjs) that
// bin/agentmux loads with V8's code cache (bin/code-cache.cjs): a relay start, on every first
// use, then compiles none of its ~1 MB of code and resolves no chunks. What the fast path does
// not handle (help, unusual flags) goes to the full CLI.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRelay } from '../client/open-relay.js';
import { runFastPath } from './fast-path.js';
import { VERSION } from './version.js';

export { RELAY_HEAP_FLAGS, withRelayHeapLimits } from '../runtime/relay-heap.js';

/** Runs the relay; resolves to false when the full CLI should run the command instead. */
export async function runRelayArgv(argv: string[], startup: Record<string, unknown> = {}): Promise<boolean> {
  return (await runFastPath(argv, { relayStartup: startup })) === true;
}

/**
 * Runs one relay in this process under `root` (a bundle of two socket sessions, one send,
 * then `relay.shutdown`), for the build: V8 compiles a function on its first call, so a code
 * cache written after this also holds what a relay's start and first request run, not only
 * the bundle's top level.
 */
export async function warmUpRelay(root: string): Promise<void> {
  const roots = { configDir: join(root, 'config'), stateDir: join(root, 'state') };
  mkdirSync(join(roots.configDir, 'bundles'), { recursive: true, mode: 0o700 });
  mkdirSync(roots.stateDir, { recursive: true, mode: 0o700 });
  const sessions = ['alice', 'bob'].map((id) => `[[sessions]]\nid = "${id}"\ndirectory = "${root}"\n`);
  writeFileSync(join(roots.configDir, 'bundles', 'warm.toml'), ['format-version = 1', '', ...sessions].join('\n'));
  const { runRelayHost } = await import('../relay/host.js');
  let ready: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (ready = resolve));
  const host = runRelayHost({
    bundle: 'warm',
    ...roots,
    version: VERSION,
    entryPoint: 'agentmux',
    autostart: false,
    onReady: () => ready(),
  });
  await Promise.race([listening, host]);
  const connect = (identity: { bundle: string; session?: string; role?: 'observer' }) =>
    openRelay({
      roots,
      identity,
      clientName: 'agentmux-build',
      clientVersion: VERSION,
      autoStart: false,
      entryPoint: 'agentmux',
    });
  const alice = await connect({ bundle: 'warm', session: 'alice' });
  await alice.request('send', { to: ['bob'], body: 'warm-up', request_id: randomUUID() });
  alice.close();
  const observer = await connect({ bundle: 'warm', role: 'observer' });
  await observer.request('relay.shutdown', {});
  observer.close();
  await host;
}
