// The credential the relay gives an agent's pane (AGENTMUX_TOKEN), for tests that act as the
// agent's own hooks or commands the way a pane does (docs/reliability.md, "Trust model").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Credentials } from '../../src/relay/credentials.js';
import { operatorKeyPath } from '../../src/runtime/operator-key.js';
import type { TempRoots } from './temp-roots.js';

/** AGENTMUX_TOKEN of `session` (the bundle's relay must have run once, creating its key). */
export function agentToken(roots: TempRoots, bundle: string, session: string): string {
  const key = readFileSync(operatorKeyPath(join(roots.stateDir, 'bundles', bundle)), 'utf8').trim();
  return new Credentials(key).forAgent(session);
}
