// A relay started from a bare environment (`env -i HOME=… PATH=…`, like the MCP SDK's default
// child environment: no LANG/LC_*) drives its tmux agents exactly as under a UTF-8 locale
// (issue 15.3), and no pane environment file (the caller's secrets) stays on disk after `up`
// (issue 15.13).
import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, stopRelay, type CliResult } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { writeScriptedTeam, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'bare';
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  const current = cleanup;
  cleanup = undefined;
  await current?.();
});

/** `agentmux …args` with nothing but HOME and PATH (plus `extra`) in its environment. */
function bareCli(roots: TempRoots, args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
  const argv = [
    ...args,
    '--bundle',
    BUNDLE,
    '--config-directory',
    roots.configDir,
    '--state-directory',
    roots.stateDir,
  ];
  const env = { HOME: process.env.HOME ?? roots.root, PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
  return new Promise((resolve) => {
    execFile(AGENTMUX_BIN, argv, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function startTeam(): { roots: TempRoots; team: ScriptedTeam } {
  const roots = makeTempRoots('bare');
  const team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice' }]);
  cleanup = async () => {
    await bareCli(roots, ['down', '--no-autostart']);
    await stopRelay(roots, BUNDLE);
    await team.tmux(['kill-server']);
    for (const pid of team.agentPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    roots.cleanup();
  };
  return { roots, team };
}

const screenOf = async (team: ScriptedTeam): Promise<string[]> =>
  (await team.tmux(['capture-pane', '-p', '-t', '=alice:'])).stdout.replace(/\n+$/, '').split('\n');

describe.sequential('a relay started with no locale', () => {
  it('lists its tmux agent as running, delivers to it, and `down` ends it', async () => {
    const { roots, team } = startTeam();
    const up = await bareCli(roots, ['up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    await waitFor(async () => (await screenOf(team)).at(-1) === 'agent>', 15_000, "alice's prompt");

    const list = await bareCli(roots, ['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const alice = (JSON.parse(list.stdout) as { sessions: { id: string; state: string }[] }).sessions.find(
      (s) => s.id === 'alice',
    );
    expect(alice?.state).toBeDefined();
    expect(alice?.state).not.toBe('offline');

    const sent = await bareCli(roots, ['send', '-t', 'alice', '-m', 'hello from a bare env', '--json', '--wait']);
    expect(sent.code, sent.stderr).toBe(0);
    expect((JSON.parse(sent.stdout) as { results: { outcome: string }[] }).results).toEqual([
      { target: 'alice', outcome: 'delivered' },
    ]);
    expect(
      team
        .logged('alice')
        .map((p) => p.text)
        .join('\n'),
    ).toContain('hello from a bare env');

    const running = team.agentPids();
    expect(running.length).toBeGreaterThanOrEqual(1);
    const down = await bareCli(roots, ['down', '--json']);
    expect(down.code, down.stderr).toBe(0);
    expect((JSON.parse(down.stdout) as { sessions: { id: string; outcome: string }[] }).sessions).toEqual([
      expect.objectContaining({ id: 'alice', outcome: 'stopped' }),
    ]);
    await waitFor(() => team.agentPids().length === 0, 10_000, 'the agent to exit');
  }, 90_000);

  it('leaves no pane environment file (the caller’s secrets) on disk once the pane started', async () => {
    const { roots, team } = startTeam();
    const up = await bareCli(roots, ['up', '--json'], { SECRET_API_KEY: 'sk-test-123' });
    expect(up.code, up.stderr).toBe(0);
    // The pane read the file: the agent runs with the secret in its environment.
    await waitFor(async () => (await screenOf(team)).at(-1) === 'agent>', 15_000, "alice's prompt");
    const [pid] = team.agentPids();
    expect(pid).toBeDefined();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('SECRET_API_KEY=sk-test-123');
    const runtimeDir = join(roots.stateDir, 'bundles', BUNDLE);
    expect(readdirSync(runtimeDir).filter((name) => name.startsWith('pane-'))).toEqual([]);
  }, 90_000);

  it('removes the pane environment file when the pane never starts', async () => {
    const { roots } = startTeam();
    // A tmux that refuses to create sessions and passes everything else to the real one.
    const fakeTmux = join(roots.root, 'tmux-refusing-new-session');
    writeFileSync(
      fakeTmux,
      '#!/bin/sh\nfor arg in "$@"; do [ "$arg" = new-session ] && { echo "refused by the test" >&2; exit 1; }; done\nexec tmux "$@"\n',
    );
    chmodSync(fakeTmux, 0o755);
    const up = await bareCli(roots, ['up', '--json'], { AGENTMUX_TMUX_COMMAND: fakeTmux, SECRET_API_KEY: 'sk-x' });
    expect(`${up.stdout}${up.stderr}`).toContain('refused by the test');
    const runtimeDir = join(roots.stateDir, 'bundles', BUNDLE);
    expect(readdirSync(runtimeDir).filter((name) => name.startsWith('pane-'))).toEqual([]);
  }, 90_000);
});
