import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxControlClient } from '../../../src/transports/tmux/control-client.js';
import { SpawnTmuxRunner } from '../../../src/transports/tmux/runner.js';
import { TmuxServer } from '../../../src/transports/tmux/tmux-server.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import { makeTmuxFixture, shellCommand, waitFor, type TmuxFixture } from './tmux-fixture.js';

let fixture: TmuxFixture | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await fixture?.cleanup();
  fixture = undefined;
});

function tmux(socket: string, ...args: string[]): string {
  return execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
}

const base = { cwd: '/', env: {}, width: 120, height: 30 };

describe('TmuxServer against a real tmux', () => {
  it('starts the server with the generated config and the user file', async () => {
    const userRoots = makeTempRoots('user');
    closers.push(() => userRoots.cleanup());
    const userConf = join(userRoots.configDir, 'tmux.conf');
    writeFileSync(userConf, 'set -g @user-option from-user\n');
    fixture = makeTmuxFixture({ userConf, detachKey: 'C-q' });
    const { server, socket, confPath } = fixture;
    await server.newSession({ ...base, id: 'a', command: 'cat' });
    expect(existsSync(confPath)).toBe(true);
    expect(tmux(socket, 'show-options', '-sv', 'escape-time').trim()).toBe('10');
    expect(tmux(socket, 'show-options', '-sv', 'focus-events').trim()).toBe('on');
    expect(tmux(socket, 'show-options', '-gv', 'status-right').trim()).toBe('#{@agentmux-status}');
    expect(tmux(socket, 'show-options', '-gv', '@user-option').trim()).toBe('from-user');
    expect(tmux(socket, 'list-keys', '-T', 'root', 'C-q')).toContain('detach-client');
    // source-file fails on any error in the file (tmux shows start-up errors only to a client).
    expect(() => tmux(socket, 'source-file', confPath)).not.toThrow();
  });

  it('creates, finds, lists and kills sessions; kill-server removes the socket', async () => {
    fixture = makeTmuxFixture();
    const { server, socket } = fixture;
    expect(await server.hasSession('a')).toBe(false);
    expect(await server.listSessions()).toEqual([]);
    const a = await server.newSession({ ...base, id: 'a', command: 'cat' });
    const b = await server.newSession({ ...base, id: 'ab', command: 'cat' });
    tmux(socket, 'new-session', '-d', '-s', 'foreign', 'cat');
    expect(a.paneId).toMatch(/^%\d+$/);
    expect(await server.hasSession('a')).toBe(true);
    expect(await server.hasSession('nope')).toBe(false);
    expect(await server.listSessions()).toEqual([
      { id: 'a', paneId: a.paneId, owned: true, attachedClients: 0, dead: false },
      { id: 'ab', paneId: b.paneId, owned: true, attachedClients: 0, dead: false },
      { id: 'foreign', paneId: expect.stringMatching(/^%\d+$/), owned: false, attachedClients: 0, dead: false },
    ]);
    await server.killSession('a');
    await server.killSession('a');
    // `=a` never matches `ab` by prefix.
    expect(await server.hasSession('a')).toBe(false);
    expect(await server.hasSession('ab')).toBe(true);
    await server.killServer();
    expect(existsSync(socket)).toBe(false);
    expect(await server.hasSession('ab')).toBe(false);
    await server.killServer();
  });

  it('starts several sessions at once on a server that is not running yet', async () => {
    fixture = makeTmuxFixture();
    const { server } = fixture;
    const created = await Promise.all(
      ['s1', 's2', 's3', 's4', 's5'].map((id) => server.newSession({ ...base, id, command: 'cat' })),
    );
    expect(new Set(created.map((pane) => pane.paneId)).size).toBe(5);
    expect((await server.listSessions()).map((session) => session.id)).toEqual(['s1', 's2', 's3', 's4', 's5']);
  });

  it('gives the pane its cwd, size and environment byte for byte', async () => {
    fixture = makeTmuxFixture();
    const { server, roots } = fixture;
    const env = { AM_ONE: 'trailing;', AM_TWO: '$HOME ~ #{pane_id} "q" \\', AM_THREE: 'é 😀' };
    const script = 'printf "<%s|%s|%s|%s>\\n" "$AM_ONE" "$AM_TWO" "$AM_THREE" "$PWD"; stty size; exec cat';
    const { paneId } = await server.newSession({
      ...base,
      id: 'env',
      cwd: roots.root,
      command: shellCommand(['sh', '-c', script]),
      env,
      width: 100,
      height: 20,
    });
    const lines = await waitFor(async () => {
      const rows = await server.capture(paneId);
      return rows.some((row) => row === '20 100') && rows;
    }, 'the pane to print its environment');
    expect(lines).toContain(`<trailing;|$HOME ~ #{pane_id} "q" \\|é 😀|${roots.root}>`);
    const info = await server.paneInfo(paneId);
    expect(info).toMatchObject({ paneId, width: 100, height: 20, inMode: false, dead: false });
    expect(lines).toHaveLength(20);
    expect(() => process.kill(info?.pid ?? -1, 0)).not.toThrow();
  });

  it('captures the screen row by row and, with a line count, the scrollback tail', async () => {
    fixture = makeTmuxFixture();
    const { server } = fixture;
    const { paneId } = await server.newSession({
      ...base,
      id: 'cap',
      command: shellCommand(['sh', '-c', 'seq 1 100; exec cat']),
      height: 10,
    });
    const screen = await waitFor(async () => {
      const rows = await server.capture(paneId);
      return rows.includes('100') && rows;
    }, 'seq output');
    expect(screen).toHaveLength(10);
    const info = await server.paneInfo(paneId);
    expect(screen[info?.cursorY ?? -1]).toBe('');
    expect(screen[(info?.cursorY ?? 0) - 1]).toBe('100');
    expect(await server.capture(paneId, 5)).toEqual(['96', '97', '98', '99', '100']);
    expect((await server.capture(paneId, 1000)).slice(0, 2)).toEqual(['1', '2']);
  });

  it('reports a vanished pane as null or runtime_target_unavailable', async () => {
    fixture = makeTmuxFixture();
    const { server } = fixture;
    const kept = await server.newSession({ ...base, id: 'keep', command: 'cat' });
    const { paneId } = await server.newSession({ ...base, id: 'gone', command: 'cat' });
    await server.killSession('gone');
    expect(await server.paneInfo(paneId)).toBeNull();
    await expect(server.capture(paneId)).rejects.toMatchObject({ code: 'runtime_target_unavailable' });
    await expect(server.cancelCopyMode(paneId)).rejects.toMatchObject({ code: 'runtime_target_unavailable' });
    expect(await server.paneInfo(kept.paneId)).not.toBeNull();
  });

  it('detects copy mode and cancels it', async () => {
    fixture = makeTmuxFixture();
    const { server, socket } = fixture;
    const { paneId } = await server.newSession({
      ...base,
      id: 'copy',
      command: shellCommand(['sh', '-c', 'seq 1 50; exec cat']),
    });
    tmux(socket, 'copy-mode', '-t', paneId);
    expect((await server.paneInfo(paneId))?.inMode).toBe(true);
    await server.cancelCopyMode(paneId);
    expect((await server.paneInfo(paneId))?.inMode).toBe(false);
    await server.cancelCopyMode(paneId);
    expect((await server.paneInfo(paneId))?.inMode).toBe(false);
  });

  it('counts human clients but not control-mode clients', async () => {
    fixture = makeTmuxFixture();
    const { server, socket } = fixture;
    await server.newSession({ ...base, id: 'h', command: 'cat' });
    const control = await TmuxControlClient.start({ socket, session: 'h' });
    closers.push(() => control.close());
    expect(await server.humanClients('h')).toBe(0);
    expect((await server.listSessions())[0]?.attachedClients).toBe(0);
    const human: IPty = spawnPty('tmux', ['-S', socket, 'attach-session', '-t', '=h'], {
      name: 'xterm-256color',
      cols: 100,
      rows: 30,
      env: { ...process.env, TMUX: '' },
    });
    closers.push(() => human.kill());
    await waitFor(async () => (await server.humanClients('h')) === 1, 'the human client to attach');
    expect((await server.listSessions())[0]?.attachedClients).toBe(1);
    expect(await server.humanClients('nope')).toBe(0);
  });

  it('sets global options, and does nothing when no server runs', async () => {
    fixture = makeTmuxFixture();
    const { server, socket } = fixture;
    await server.setGlobalOption('@agentmux-status', 'none yet');
    await server.newSession({ ...base, id: 'o', command: 'cat' });
    await server.setGlobalOption('@agentmux-status', 'a: idle · b: busy; $HOME');
    expect(tmux(socket, 'show-options', '-gv', '@agentmux-status').trim()).toBe('a: idle · b: busy; $HOME');
  });

  it('works the same through a control client as its runner', async () => {
    fixture = makeTmuxFixture();
    const { socket, confPath } = fixture;
    await fixture.server.newSession({ ...base, id: 'first', command: 'cat' });
    const control = await TmuxControlClient.start({ socket, session: 'first' });
    closers.push(() => control.close());
    const viaControl = new TmuxServer({ socket, confPath, runner: control });
    const { paneId } = await viaControl.newSession({ ...base, id: 'second', command: 'cat' });
    expect(await viaControl.hasSession('second')).toBe(true);
    expect((await viaControl.listSessions()).map((session) => [session.id, session.owned])).toEqual([
      ['first', true],
      ['second', true],
    ]);
    expect(await viaControl.paneInfo(paneId)).toMatchObject({ paneId, width: 120, height: 30 });
    expect(await viaControl.capture(paneId)).toHaveLength(30);
    // The spawn runner still sees the same server.
    expect((await new SpawnTmuxRunner({ socket }).run(['has-session', '-t', '=second'])).code).toBe(0);
  });
});
