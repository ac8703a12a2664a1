// What the spawner sets for the relay process alone (glibc's malloc thresholds, V8's heap
// flags, and the record of the caller's values) never reaches what the relay starts: a real
// auto-started relay starts a real tmux agent, whose pane writes its environment to a file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'envteam';
let roots: TempRoots;
let envFile: string;

beforeEach(() => {
  roots = makeTempRoots('callerenv');
  envFile = join(roots.root, 'pane.env');
  writeFileSync(
    join(roots.configDir, 'coders.toml'),
    [
      'format-version = 1',
      '',
      '[[coders]]',
      'id = "envdump"',
      '[coders.tmux]',
      `initial-command = ${JSON.stringify(`sh -c 'env > ${envFile}.tmp && mv ${envFile}.tmp ${envFile}; exec cat'`)}`,
      '',
    ].join('\n'),
  );
  writeBundle(roots, BUNDLE, [{ id: 'alice', coder: 'envdump' }]);
});

afterEach(async () => {
  await runCli(roots, ['down', '--bundle', BUNDLE, '--no-autostart']);
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

describe('an agent started by an auto-started relay', () => {
  it("gets the caller's environment, without the relay's own malloc, heap or record variables", async () => {
    const env = { MALLOC_ARENA_MAX: '2' };
    const up = await runCli(roots, ['up', '--bundle', BUNDLE, '--as-session', 'user'], { env });
    expect(up.code, up.stderr).toBe(0);
    await waitFor(() => existsSync(envFile), 15_000, 'the pane wrote its environment');
    const pane = new Map(
      readFileSync(envFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );
    expect(pane.get('AGENTMUX_SESSION')).toBe('alice');
    expect(pane.get('MALLOC_ARENA_MAX')).toBe('2');
    expect(pane.has('MALLOC_MMAP_THRESHOLD_')).toBe(false);
    expect(pane.has('MALLOC_TRIM_THRESHOLD_')).toBe(false);
    expect(pane.has('AGENTMUX_RELAY_CALLER_ENV')).toBe(false);
    expect(pane.get('NODE_OPTIONS') ?? '').not.toContain('--max-semi-space-size');
    expect(pane.get('NODE_EXTRA_CA_CERTS')).toBe(process.env.NODE_EXTRA_CA_CERTS);
  });
});
