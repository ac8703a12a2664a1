// Exactly one relay per bundle however many clients race to start it; a second relay is
// refused; `relay status` and `relay stop` never start one.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { relayPid, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'race';
let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('race');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

/** Live relay processes serving this test's state dir. */
function relayProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes('host relay') && cmdline.includes(roots.stateDir)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

it('20 concurrent first-use clients start exactly one relay', { timeout: 60_000 }, async () => {
  const sends = Array.from({ length: 20 }, (_, i) =>
    runCli(roots, ['send', '--bundle', BUNDLE, '--as-session', 'alice', '-t', 'bob', '-m', `hello ${i}`], {
      timeoutMs: 40_000,
    }),
  );
  const results = await Promise.all(sends);
  for (const result of results) expect(result.code, result.stderr).toBe(0);
  expect(relayProcesses()).toEqual([relayPid(roots, BUNDLE)]);
  const log = readFileSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.log'), 'utf8');
  expect(log.match(/"event":"relay.startup"/g)).toHaveLength(1);
  const inbox = await runCli(roots, ['inbox', '--json', '--bundle', BUNDLE, '--as-session', 'bob']);
  expect(JSON.parse(inbox.stdout)).toHaveLength(20);
});

it('refuses a second relay for the same bundle', async () => {
  const first = await runCli(roots, ['send', '--bundle', BUNDLE, '--as-session', 'alice', '-t', 'bob', '-m', 'start']);
  expect(first.code, first.stderr).toBe(0);
  const second = await runCli(roots, ['host', 'relay', '--bundle', BUNDLE]);
  expect(second.code).toBe(1);
  expect(second.stderr).toContain('relay already running for bundle race');
  expect(relayProcesses()).toHaveLength(1);
});

it('relay status and stop never start a relay; --no-autostart refuses to', async () => {
  const status = await runCli(roots, ['relay', 'status', '--bundle', BUNDLE, '--json']);
  expect(status.code).toBe(1);
  expect(JSON.parse(status.stdout)).toMatchObject({ state: 'down' });
  const stop = await runCli(roots, ['relay', 'stop', '--bundle', BUNDLE]);
  expect(stop.code).toBe(0);
  const refused = await runCli(roots, [
    'send',
    '--no-autostart',
    '--bundle',
    BUNDLE,
    '--as-session',
    'alice',
    '-t',
    'bob',
    '-m',
    'x',
  ]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('relay_unavailable');
  expect(refused.stderr).toMatch(/hint: start one with `agentmux host relay --bundle \S+ --state-directory /);
  expect(relayProcesses()).toHaveLength(0);

  await runCli(roots, ['send', '--bundle', BUNDLE, '--as-session', 'alice', '-t', 'bob', '-m', 'now start']);
  const running = await runCli(roots, ['relay', 'status', '--bundle', BUNDLE, '--json']);
  expect(running.code).toBe(0);
  const stopped = await runCli(roots, ['relay', 'stop', '--bundle', BUNDLE]);
  expect(stopped.stdout).toContain('stopped');
  expect(relayProcesses()).toHaveLength(0);
  const lock = readFileSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.lock'), 'utf8');
  expect(lock).toBe('');
});

it('refuses a bundle that does not exist without starting anything', async () => {
  const result = await runCli(roots, ['send', '--bundle', 'nope', '--as-session', 'alice', '-t', 'bob', '-m', 'x']);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('validation_unknown_bundle');
});
