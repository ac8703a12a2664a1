// Issue 22.5: a running relay takes configuration edits on `agentmux reload`, on `up` and on
// SIGHUP, says what changed, and refuses an invalid edit while it keeps the running config.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { relayPid, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'edits';
let roots: TempRoots;

const as = (args: string[]): string[] => [...args, '--bundle', BUNDLE, '--as-session', 'user'];
const listedIds = async (): Promise<string[]> => {
  const listed = await runCli(roots, as(['list', '--json']));
  return (JSON.parse(listed.stdout) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
};

beforeEach(() => {
  roots = makeTempRoots('reload');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

it(
  'reloads on agentmux reload, names the changes, and keeps the running config on an invalid edit',
  { timeout: 120_000 },
  async () => {
    expect(await listedIds()).toEqual(['alice', 'bob', 'user']);
    const pid = relayPid(roots, BUNDLE);

    writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]);
    const reloaded = await runCli(roots, as(['reload']));
    expect(reloaded.code, reloaded.stderr).toBe(0);
    expect(reloaded.stdout).toContain('session carol added');
    expect(await listedIds()).toEqual(['alice', 'bob', 'carol', 'user']);
    expect(relayPid(roots, BUNDLE)).toBe(pid); // restarted in place, same process

    const file = join(roots.configDir, 'bundles', `${BUNDLE}.toml`);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, `${good}[[sessions]]\nid = "dave"\ndiretory = "/tmp"\ncoder = "nope"\n`);
    const refused = await runCli(roots, as(['reload', '--json']));
    expect(refused.code).toBe(1);
    const error = (JSON.parse(refused.stderr) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('validation_invalid_config');
    expect(error.message).toContain('unknown key "diretory"');
    expect(error.message).toContain('unknown coder "nope"');
    expect(await listedIds()).toEqual(['alice', 'bob', 'carol', 'user']);

    const unchanged = await runCli(roots, as(['reload']));
    expect(unchanged.code).toBe(1); // still invalid on disk
    writeFileSync(file, good);
    expect((await runCli(roots, as(['reload']))).stdout).toContain('configuration unchanged');
  },
);

it('reloads before up and on SIGHUP', { timeout: 120_000 }, async () => {
  expect(await listedIds()).toEqual(['alice', 'bob', 'user']);
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]);
  const up = await runCli(roots, as(['up']));
  expect(up.code, up.stderr).toBe(0);
  expect(up.stderr).toContain('configuration reloaded: session carol added');
  expect(await listedIds()).toEqual(['alice', 'bob', 'carol', 'user']);

  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'carol' }]);
  const pid = relayPid(roots, BUNDLE);
  process.kill(pid ?? 0, 'SIGHUP');
  await waitFor(async () => !(await listedIds()).includes('bob'), 15_000, 'bob gone after SIGHUP');
  expect(relayPid(roots, BUNDLE)).toBe(pid);
  const log = readFileSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.log'), 'utf8');
  expect(log).toContain('"event":"relay.restarted"');
});
