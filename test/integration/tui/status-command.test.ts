// `agentmux status`: reads the runtime dir's status files, never starts a relay.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relayPid, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'crew';
let roots: TempRoots | undefined;

afterEach(async () => {
  if (roots) {
    await stopRelay(roots, BUNDLE);
    roots.cleanup();
    roots = undefined;
  }
});

function setup(): TempRoots {
  roots = makeTempRoots('status');
  writeBundle(roots, BUNDLE, [{ id: 'a1' }, { id: 'a2' }]);
  return roots;
}

const status = (r: TempRoots, ...args: string[]) => runCli(r, ['status', '--bundle', BUNDLE, ...args]);

describe('agentmux status', () => {
  it('says relay down, in every format, and does not start a relay', async () => {
    const r = setup();
    const text = await status(r);
    expect(text).toMatchObject({ code: 0, stdout: 'crew: relay down\n' });
    expect((await status(r, '--format', 'tmux')).stdout).toBe('#[fg=colour244]crew: relay down#[default]\n');
    expect(JSON.parse((await status(r, '--format', 'json')).stdout)).toMatchObject({
      bundle: 'crew',
      relay: { state: 'down', pid: null },
    });
    expect(relayPid(r, BUNDLE)).toBeUndefined();
    expect(existsSync(join(r.stateDir, 'bundles', BUNDLE, 'relay.sock'))).toBe(false);
  });

  it('treats the files of a relay that died without cleaning up as down', async () => {
    const r = setup();
    const dir = join(r.stateDir, 'bundles', BUNDLE);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stale = {
      bundle: BUNDLE,
      updated_at: new Date().toISOString(),
      relay: { state: 'running', pid: 2 ** 22 + 12345 },
      sessions: [{ id: 'a1', state: 'busy', queued: 4, unread: 0, attached: false }],
      needs_operator: [],
    };
    writeFileSync(join(dir, 'status.json'), JSON.stringify(stale));
    writeFileSync(join(dir, 'status'), 'crew: a1 busy (4 queued)\n');
    expect((await status(r)).stdout).toBe('crew: relay down\n');
    const json = JSON.parse((await status(r, '--json')).stdout) as { relay: { state: string }; sessions: unknown[] };
    expect(json.relay.state).toBe('down');
    expect(json.sessions).toHaveLength(1);
  });

  it('follows a running relay as messages queue', async () => {
    const r = setup();
    // `list` starts the relay (status itself never does).
    expect((await runCli(r, ['list', '--bundle', BUNDLE, '--as-session', 'a1'])).code).toBe(0);
    await waitFor(async () => (await status(r)).stdout.startsWith('crew: a1'), 10_000, 'the first status line');
    const sent = await runCli(r, [
      'send',
      '--bundle',
      BUNDLE,
      '--as-session',
      'a1',
      '-t',
      'a2',
      '-m',
      'for a2, who is not listening',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    await waitFor(
      async () => (await status(r)).stdout.includes('a2 offline (1 queued, 1 unread)'),
      10_000,
      'the queued message',
    );
    expect((await status(r, '--format', 'tmux')).stdout).toContain('#[fg=colour244]a2-+1✉1#[default]');
    const json = JSON.parse((await status(r, '--format', 'json')).stdout) as {
      relay: { state: string; pid: number };
      sessions: { id: string; queued: number }[];
    };
    expect(json.relay).toEqual({ state: 'running', pid: relayPid(r, BUNDLE) });
    expect(json.sessions.find((s) => s.id === 'a2')?.queued).toBe(1);
  });
});
