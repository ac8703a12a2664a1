import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxControlClient, createTmuxRunner } from '../../../src/transports/tmux/control-client.js';
import { SpawnTmuxRunner, type TmuxRunner } from '../../../src/transports/tmux/runner.js';
import { makeTmuxFixture, waitFor, type TmuxFixture } from './tmux-fixture.js';

let fixture: TmuxFixture | undefined;
const runners: TmuxRunner[] = [];
afterEach(async () => {
  for (const runner of runners.splice(0)) runner.close();
  await fixture?.cleanup();
  fixture = undefined;
});

const base = { cwd: '/', env: {}, width: 120, height: 30 };

async function serverWith(...ids: string[]): Promise<{ fixture: TmuxFixture; panes: string[] }> {
  fixture = makeTmuxFixture();
  const panes: string[] = [];
  for (const id of ids) panes.push((await fixture.server.newSession({ ...base, id, command: 'cat' })).paneId);
  return { fixture, panes };
}

function keep<T extends TmuxRunner>(runner: T): T {
  runners.push(runner);
  return runner;
}

const NASTY = [
  'trailing;',
  'a ; b',
  '$HOME and ${HOME}',
  '~/not-home',
  '#{pane_id} #S ##',
  'quote " backslash \\ end\\',
  "single ' quote",
  'tab\there',
  'newline\nsecond line',
  'escape \x1b[31m and bell \x07',
  'emoji 😀 CJK 中文 combining e\u0301 zwj 👩‍👩‍👧',
  '{',
  '}',
  '-starts-with-dash',
  '%if',
  '%endif',
  '#comment',
  'NAME=value',
];

describe('TmuxControlClient against a real tmux', () => {
  it('answers commands, in order, also when many are in flight', async () => {
    const { fixture } = await serverWith('a');
    const client = keep(await TmuxControlClient.start({ socket: fixture.socket, session: 'a' }));
    expect(await client.run(['display-message', '-p', '#{session_name}'])).toEqual({
      stdout: 'a\n',
      stderr: '',
      code: 0,
      durationMs: expect.any(Number),
    });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) => client.run(['display-message', '-p', `n=${index}`])),
    );
    expect(results.map((result) => result.stdout)).toEqual(Array.from({ length: 200 }, (_, index) => `n=${index}\n`));
  });

  it('reports %error blocks as a non-zero code with the message, and keeps working', async () => {
    const { fixture } = await serverWith('a');
    const client = keep(await TmuxControlClient.start({ socket: fixture.socket, session: 'a' }));
    const bogus = await client.run(['bogus-command']);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toMatch(/unknown command: bogus-command/);
    const missing = await client.run(['has-session', '-t', '=nope']);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("can't find session") });
    expect((await client.run(['display-message', '-p', 'still here'])).stdout).toBe('still here\n');
  });

  it.each(['control', 'spawn'] as const)('passes every argument through byte for byte (%s)', async (kind) => {
    const { fixture } = await serverWith('a');
    const runner = keep(
      kind === 'control'
        ? await TmuxControlClient.start({ socket: fixture.socket, session: 'a' })
        : new SpawnTmuxRunner({ socket: fixture.socket }),
    );
    for (const [index, text] of NASTY.entries()) {
      const file = join(fixture.runtimeDir, `out-${index}`);
      expect(await runner.run(['set-buffer', '-b', 'probe', '--', text]), JSON.stringify(text)).toMatchObject({
        code: 0,
      });
      expect((await runner.run(['save-buffer', '-b', 'probe', file])).code).toBe(0);
      expect(readFileSync(file, 'utf8'), JSON.stringify(text)).toBe(text);
    }
  });

  it('delivers %output of the attached session as raw bytes when asked to', async () => {
    const { fixture, panes } = await serverWith('a');
    const seen: Buffer[] = [];
    const client = keep(
      await TmuxControlClient.start({
        socket: fixture.socket,
        session: 'a',
        output: true,
        onOutput: (pane, data) => {
          if (pane === panes[0]) seen.push(data);
        },
      }),
    );
    await client.run(['send-keys', '-l', '-t', panes[0] ?? '', 'ping é\\ 😀']);
    await waitFor(() => Buffer.concat(seen).toString('utf8').includes('ping é\\ 😀'), 'the echo in %output');
  });

  it('sends no %output by default', async () => {
    const { fixture, panes } = await serverWith('a');
    const seen: string[] = [];
    const client = keep(
      await TmuxControlClient.start({ socket: fixture.socket, session: 'a', onOutput: (pane) => seen.push(pane) }),
    );
    await client.run(['send-keys', '-l', '-t', panes[0] ?? '', 'quiet']);
    await waitFor(
      async () => (await fixture.server.capture(panes[0] ?? '')).some((row) => row.includes('quiet')),
      'the echo on screen',
    );
    await client.run(['display-message', '-p', 'sync']);
    expect(seen).toEqual([]);
  });

  it('closes and fails commands when its session is killed', async () => {
    const { fixture } = await serverWith('a', 'b');
    const exits: string[] = [];
    const client = keep(
      await TmuxControlClient.start({ socket: fixture.socket, session: 'b', onExit: (reason) => exits.push(reason) }),
    );
    await fixture.server.killSession('b');
    await client.exited;
    expect(client.closed).toBe(true);
    expect(exits).toHaveLength(1);
    await expect(client.run(['display-message', '-p', 'x'])).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
      details: {
        command: ['display-message', '-p', 'x'],
        duration_ms: 0,
        // The reason the client ended, and how its process exited.
        cause: { kind: 'closed', reason: expect.stringContaining('tmux detached the control client'), code: 0 },
      },
    });
  });

  it('refuses to start for a missing session or server', async () => {
    const { fixture } = await serverWith('a');
    await expect(TmuxControlClient.start({ socket: fixture.socket, session: 'nope' })).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
      message: expect.stringContaining("can't find session"),
      details: {
        command: ['attach-session', '-t', '=nope'],
        duration_ms: expect.any(Number),
        cause: { kind: expect.stringMatching(/^(exit|closed)$/) },
      },
    });
    await expect(TmuxControlClient.start({ socket: join(fixture.runtimeDir, 'none.sock') })).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
    });
  });

  it('gives up on a command that is not answered in time and closes', async () => {
    fixture = makeTmuxFixture();
    // A stand-in for tmux that attaches, then answers nothing.
    const fake = join(fixture.runtimeDir, 'silent-tmux.mjs');
    writeFileSync(
      fake,
      `#!${process.execPath}\nprocess.stdout.write('%begin 1 1 0\\n%end 1 1 0\\n');\nprocess.stdin.on('data', () => {});\nprocess.stdin.on('end', () => process.exit(0));\n`,
    );
    chmodSync(fake, 0o755);
    const client = keep(await TmuxControlClient.start({ socket: fixture.socket, binary: fake, output: true }));
    await expect(client.run(['display-message', '-p', 'x'], { timeoutMs: 150 })).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
      message: expect.stringContaining('did not answer within 150 ms'),
      details: {
        command: ['display-message', '-p', 'x'],
        duration_ms: expect.any(Number),
        cause: { kind: 'timeout', timeout_ms: 150 },
      },
    });
    expect(client.closed).toBe(true);
    await client.exited;
  });
});

describe('createTmuxRunner', () => {
  it('uses control mode when it can and falls back to spawning tmux', async () => {
    const { fixture } = await serverWith('a', 'b');
    const control = keep(await createTmuxRunner(fixture.socket, 'b'));
    expect(control.mode).toBe('control');
    const spawned = keep(await createTmuxRunner(fixture.socket, 'missing'));
    expect(spawned.mode).toBe('spawn');
    expect((await spawned.run(['display-message', '-p', 'ok'])).stdout).toBe('ok\n');
    await fixture.server.killSession('b');
    await waitFor(() => control.mode === 'spawn', 'the control client to end');
    expect((await control.run(['has-session', '-t', '=a'])).code).toBe(0);
  });

  it('runs capture-pane both ways (median latency printed)', async () => {
    const { fixture, panes } = await serverWith('a');
    const control = keep(await TmuxControlClient.start({ socket: fixture.socket, session: 'a' }));
    const spawned = new SpawnTmuxRunner({ socket: fixture.socket });
    const median = async (runner: TmuxRunner): Promise<number> => {
      const times: number[] = [];
      for (let index = 0; index < 30; index += 1) {
        const started = performance.now();
        const result = await runner.run(['capture-pane', '-p', '-t', panes[0] ?? '']);
        times.push(performance.now() - started);
        expect(result.code).toBe(0);
      }
      times.sort((left, right) => left - right);
      return times[15] ?? Number.NaN;
    };
    const spawnMs = await median(spawned);
    const controlMs = await median(control);
    console.log(
      `capture-pane median: spawn ${spawnMs.toFixed(3)} ms, control ${controlMs.toFixed(3)} ms (${(spawnMs / controlMs).toFixed(1)}x)`,
    );
  });
});
