// The pinned agent CLIs, installed by scripts/install-test-tools.sh into the test cache
// (never into package.json); quick when they are already there.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The agent CLIs this suite drives; each is also a preset id and a hooks client. */
export type AgentCli = 'claude' | 'codex' | 'gemini';

const INSTALLER = resolve(import.meta.dirname, '../../../scripts/install-test-tools.sh');

/** Installs what is missing and returns the cache's `node_modules/.bin` (holding every CLI). */
export function ensureAgentTools(): string {
  const cache = execFileSync('bash', [INSTALLER], {
    encoding: 'utf8',
    timeout: 300_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .at(-1);
  const bin = join(cache ?? '', 'node_modules', '.bin');
  for (const cli of ['claude', 'codex', 'gemini']) {
    if (!existsSync(join(bin, cli))) throw new Error(`${cli} is missing from ${bin} after install-test-tools.sh`);
  }
  return bin;
}
