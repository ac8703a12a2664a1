// Opens real relay connections from tests (auto-starting the built relay like the CLI does).
import type { RelayClient } from '../../src/client/index.js';
import { openRelay } from '../../src/client/index.js';
import type { SessionRole } from '../../src/core/protocol/index.js';
import { AGENTMUX_BIN } from './cli.js';
import type { TempRoots } from './temp-roots.js';

/** A hello'd client for `session` (the relay derives the role unless one is claimed). */
export async function connectTo(
  roots: TempRoots,
  bundle: string,
  session: string | undefined,
  role?: SessionRole,
): Promise<RelayClient> {
  return openRelay({
    roots: { configDir: roots.configDir, stateDir: roots.stateDir },
    identity: { bundle, ...(session === undefined ? {} : { session }), ...(role === undefined ? {} : { role }) },
    clientName: 'test',
    clientVersion: '0',
    entryPoint: AGENTMUX_BIN,
  });
}

/** Waits until `predicate` is true (polling), or fails after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
