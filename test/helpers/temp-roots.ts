// Per-test config and state roots under the run's temp root (see test/global-setup.ts).
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempRoots {
  root: string;
  configDir: string;
  stateDir: string;
  cleanup(): void;
}

/** Fresh config and state directories for one test; `cleanup` removes them. */
export function makeTempRoots(prefix = 't'): TempRoots {
  const base = process.env.AGENTMUX_TEST_ROOT ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(join(base, `${prefix}-`));
  const configDir = join(root, 'config');
  const stateDir = join(root, 'state');
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  return { root, configDir, stateDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
