// Issue 22.14: a mistyped --bundle leaves nothing behind in the state directory and suggests
// the bundle most likely meant.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('unknown-bundle');
  writeBundle(roots, 'team', [{ id: 'alice' }]);
});

afterEach(() => roots.cleanup());

it('refuses an unknown bundle with a suggestion and creates no state for it', async () => {
  const listed = await runCli(roots, ['list', '--bundle', 'teem', '--as-session', 'user', '--json']);
  expect(listed.code).toBe(1);
  // The error is stderr's last line (the first run also notes the starter files it wrote).
  const error = JSON.parse(listed.stderr.trim().split('\n').at(-1) ?? '') as { error: { code: string; hint: string } };
  expect(error.error.code).toBe('validation_unknown_bundle');
  expect(error.error.hint).toContain('did you mean "team"?');
  expect(existsSync(join(roots.stateDir, 'bundles', 'teem'))).toBe(false);

  const plain = await runCli(roots, ['send', '--bundle', 'teem', '--as-session', 'user', '-t', 'alice', '-m', 'hi']);
  expect(plain.code).toBe(1);
  expect(plain.stderr).toContain('did you mean "team"?');
  expect(existsSync(join(roots.stateDir, 'bundles', 'teem'))).toBe(false);
});
