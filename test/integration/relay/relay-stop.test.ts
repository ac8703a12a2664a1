// Stopping the relay ends the process promptly, even while `send --wait` requests of clients
// that are already gone still had minutes to wait.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../src/runtime/process-tree.js';
import { relayPid, runCli, spawnCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'stop';
let roots: TempRoots;

beforeAll(() => {
  roots = makeTempRoots('stop');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
}, 60_000);

afterAll(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
}, 60_000);

describe('relay stop', () => {
  it('exits at once although gone clients were waiting up to ten minutes for a delivery', async () => {
    const observer = await connectTo(roots, BUNDLE, 'user');
    const pid = relayPid(roots, BUNDLE);
    expect(pid).toBeDefined();
    // bob has no subscriber and no pane: these stay queued, so each wait would run its full 600 s.
    const waiting = [0, 1, 2].map((i) =>
      spawnCli(roots, ['send', '--wait', '--timeout-ms', '600000', '-t', 'bob', '-m', `wait ${i}`]),
    );
    await waitFor(
      async () => (await observer.request('list', {})).sessions.find((s) => s.id === 'bob')?.queued === 3,
      20_000,
      'three queued sends',
    );
    observer.close();
    for (const child of waiting) child.kill('SIGKILL');
    await Promise.all(waiting.map((child) => new Promise((resolve) => child.once('exit', resolve))));

    const stopped = await runCli(roots, ['relay', 'stop', '--bundle', BUNDLE]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain(`stopped (pid ${pid})`);
    // `relay stop` returns once the process is gone; it must not be lingering on old timers.
    expect(isProcessAlive(pid as number)).toBe(false);
    const log = readFileSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.log'), 'utf8');
    expect(log).toContain('"relay.stopped"');
    expect(log).not.toContain('relay.unhandled_rejection');
  });
});
