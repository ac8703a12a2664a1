import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpawnTmuxRunner, runTmuxChecked, tmuxBinary, tmuxClientEnv } from '../../../src/transports/tmux/runner.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots | undefined;
afterEach(() => roots?.cleanup());

/** A stand-in tmux that records its argv and environment, then behaves as `body` says. */
function fakeTmux(body: string): { binary: string; argvFile: string } {
  roots = makeTempRoots('spawn');
  const binary = join(roots.root, 'fake-tmux.mjs');
  const argvFile = join(roots.root, 'argv.json');
  writeFileSync(
    binary,
    `#!${process.execPath}\nimport { writeFileSync } from 'node:fs';\n` +
      `writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify({ argv: process.argv.slice(2), tmux: process.env.TMUX ?? null }));\n${body}\n`,
  );
  chmodSync(binary, 0o755);
  return { binary, argvFile };
}

describe('SpawnTmuxRunner', () => {
  it('passes -u (locale-proof output), -S, -f and the arguments, protecting a trailing semicolon, without TMUX in the environment', async () => {
    const { binary, argvFile } = fakeTmux("process.stdout.write('out\\n'); process.stderr.write('err\\n');");
    const runner = new SpawnTmuxRunner({
      socket: '/s/tmux.sock',
      configFile: '/s/tmux.conf',
      binary,
      env: tmuxClientEnv({ ...process.env, TMUX: '/tmp/x,1,0', TMUX_PANE: '%1' }),
    });
    await expect(runner.run(['send-keys', '-l', '-t', '%1', '--', 'ends with;'])).resolves.toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
      code: 0,
      durationMs: expect.any(Number),
    });
    expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual({
      argv: ['-u', '-S', '/s/tmux.sock', '-f', '/s/tmux.conf', 'send-keys', '-l', '-t', '%1', '--', 'ends with\\;'],
      tmux: null,
    });
  });

  it('resolves a non-zero exit as a result and runTmuxChecked turns it into an error', async () => {
    const { binary } = fakeTmux('process.stderr.write("can\'t find session: x\\n"); process.exit(1);');
    const runner = new SpawnTmuxRunner({ socket: '/s', binary });
    await expect(runner.run(['has-session', '-t', '=x'])).resolves.toMatchObject({
      code: 1,
      stderr: "can't find session: x\n",
    });
    await expect(runTmuxChecked(runner, ['has-session', '-t', '=x'])).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
      message: expect.stringMatching(/^tmux has-session failed after \d+ ms: can't find session: x$/),
      details: {
        command: ['has-session', '-t', '=x'],
        duration_ms: expect.any(Number),
        cause: { kind: 'exit', code: 1, stderr: "can't find session: x" },
      },
    });
  });

  it('rejects when tmux cannot be run or does not finish in time', async () => {
    const { binary } = fakeTmux('setTimeout(() => {}, 10_000);');
    await expect(
      new SpawnTmuxRunner({ socket: '/s', binary }).run(['list-sessions'], { timeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
      message: expect.stringContaining('did not finish within 200 ms'),
      details: {
        command: ['list-sessions'],
        duration_ms: expect.any(Number),
        cause: { kind: 'timeout', timeout_ms: 200 },
      },
    });
    await expect(
      new SpawnTmuxRunner({ socket: '/s', binary: join(roots?.root ?? '', 'missing') }).run(['list-sessions']),
    ).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
      message: expect.stringContaining('could not run'),
      details: { command: ['list-sessions'], cause: { kind: 'spawn', error: expect.stringContaining('ENOENT') } },
    });
  });

  it('tells a tmux client killed by a signal from one that timed out', async () => {
    const { binary } = fakeTmux("process.stderr.write('dying\\n'); process.kill(process.pid, 'SIGTERM');");
    await expect(new SpawnTmuxRunner({ socket: '/s', binary }).run(['list-sessions'])).rejects.toMatchObject({
      code: 'runtime_tmux_failed',
      message: expect.stringContaining('tmux list-sessions was killed by SIGTERM'),
      details: {
        command: ['list-sessions'],
        duration_ms: expect.any(Number),
        cause: { kind: 'signal', signal: 'SIGTERM', stderr: 'dying' },
      },
    });
  });

  it('takes the program from AGENTMUX_TMUX_COMMAND', () => {
    expect(tmuxBinary({ AGENTMUX_TMUX_COMMAND: '/opt/tmux' })).toBe('/opt/tmux');
    expect(tmuxBinary({ AGENTMUX_TMUX_COMMAND: '' })).toBe('tmux');
    expect(tmuxBinary({})).toBe('tmux');
  });
});
