import { describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { newSessionArgs, type NewSessionSpec } from '../../../src/transports/tmux/session-args.js';
import { TmuxServer } from '../../../src/transports/tmux/tmux-server.js';
import { FakeRunner, type Answer } from './fake-runner.js';

function server(answer: (args: string[]) => Answer): { tmux: TmuxServer; runner: FakeRunner } {
  const runner = new FakeRunner(answer);
  return {
    tmux: new TmuxServer({ socket: '/nonexistent/tmux.sock', confPath: '/nonexistent/tmux.conf', runner }),
    runner,
  };
}

const spec: NewSessionSpec = {
  id: 'coder-1',
  cwd: '/work',
  command: 'claude --resume',
  env: { A: '1', B_2: 'x y;' },
  width: 200,
  height: 50,
};

describe('newSessionArgs', () => {
  it('creates a detached, sized session with its environment and prints the pane id', () => {
    expect(newSessionArgs(spec)).toEqual([
      'new-session',
      '-d',
      '-s',
      'coder-1',
      '-c',
      '/work',
      '-x',
      '200',
      '-y',
      '50',
      '-e',
      'A=1',
      '-e',
      'B_2=x y;',
      '-P',
      '-F',
      '#{pane_id}',
      'claude --resume',
    ]);
    expect(newSessionArgs({ ...spec, command: '  ' }).at(-1)).toBe('#{pane_id}');
  });

  it('rejects bad ids, sizes and variable names before tmux sees them', () => {
    const bads: Partial<NewSessionSpec>[] = [
      { id: 'has space' },
      { id: '=x' },
      { width: 0 },
      { height: 1.5 },
      { env: { 'BAD-NAME': 'x' } },
      { env: { A: 'nul\0' } },
    ];
    for (const bad of bads) {
      expect(() => newSessionArgs({ ...spec, ...bad })).toThrow(AgentmuxError);
    }
  });
});

describe('TmuxServer queries', () => {
  it('hasSession targets the exact name and maps missing session or server to false', async () => {
    const answers: Answer[] = [
      { code: 0 },
      { code: 1, stderr: "can't find session: x\n" },
      { code: 1, stderr: 'no server running on /s\n' },
      { code: 1, stderr: 'weird\n' },
    ];
    const { tmux, runner } = server(() => answers.shift() ?? {});
    await expect(tmux.hasSession('x')).resolves.toBe(true);
    await expect(tmux.hasSession('x')).resolves.toBe(false);
    await expect(tmux.hasSession('x')).resolves.toBe(false);
    await expect(tmux.hasSession('x')).rejects.toMatchObject({ code: 'runtime_tmux_failed' });
    expect(runner.calls[0]).toEqual(['has-session', '-t', '=x']);
  });

  it('listSessions counts attached clients without control-mode clients', async () => {
    const { tmux } = server((args) =>
      args[0] === 'list-sessions'
        ? { stdout: '%0\t1\t0\talpha\n%3\t\t1\tuser\tsession\n' }
        : { stdout: '1\talpha\n0\talpha\n0\tuser\tsession\n1\tuser\tsession\n' },
    );
    await expect(tmux.listSessions()).resolves.toEqual([
      { id: 'alpha', paneId: '%0', owned: true, attachedClients: 1, dead: false },
      { id: 'user\tsession', paneId: '%3', owned: false, attachedClients: 1, dead: true },
    ]);
  });

  it('listSessions is empty when no server runs', async () => {
    const { tmux } = server(() => ({ code: 1, stderr: 'error connecting to /s (No such file or directory)\n' }));
    await expect(tmux.listSessions()).resolves.toEqual([]);
  });

  it('paneInfo parses one line and returns null when tmux answers for another or no pane', async () => {
    const answers: Answer[] = [
      { stdout: '%4\t1234\t2\t17\t1\t0\t200\t50\n' },
      { stdout: '\t\t\t\t\t\t\t\n' },
      { code: 1, stderr: "can't find pane: %4\n" },
    ];
    const { tmux, runner } = server(() => answers.shift() ?? {});
    await expect(tmux.paneInfo('%4')).resolves.toEqual({
      paneId: '%4',
      pid: 1234,
      cursorX: 2,
      cursorY: 17,
      inMode: true,
      dead: false,
      width: 200,
      height: 50,
    });
    await expect(tmux.paneInfo('%4')).resolves.toBeNull();
    await expect(tmux.paneInfo('%4')).resolves.toBeNull();
    expect(runner.calls[0]?.slice(0, 4)).toEqual(['display-message', '-p', '-t', '%4']);
    await expect(tmux.paneInfo('4')).rejects.toMatchObject({ code: 'validation_invalid_params' });
  });

  it('capture returns screen rows as printed, or the trimmed tail with scrollback', async () => {
    const answers: Answer[] = [
      { stdout: 'a\n\nb\n\n\n' },
      { stdout: 'h1\nh2\nh3\nscreen\n\n\n' },
      { code: 1, stderr: "can't find pane: %9\n" },
    ];
    const { tmux, runner } = server(() => answers.shift() ?? {});
    await expect(tmux.capture('%1')).resolves.toEqual(['a', '', 'b', '', '']);
    await expect(tmux.capture('%1', 2)).resolves.toEqual(['h3', 'screen']);
    expect(runner.calls[1]).toEqual(['capture-pane', '-p', '-t', '%1', '-S', '-2']);
    await expect(tmux.capture('%9')).rejects.toMatchObject({ code: 'runtime_target_unavailable' });
  });

  it('humanClients ignores control-mode clients; killSession ignores a missing session', async () => {
    const answers: Answer[] = [{ stdout: '1\n0\n0\n' }, { code: 1, stderr: "can't find session: s\n" }];
    const { tmux, runner } = server(() => answers.shift() ?? {});
    await expect(tmux.humanClients('s')).resolves.toBe(2);
    await expect(tmux.killSession('s')).resolves.toBeUndefined();
    expect(runner.calls.map((call) => call.slice(0, 3))).toEqual([
      ['list-clients', '-t', '=s'],
      ['kill-session', '-t', '=s'],
    ]);
  });

  it('setGlobalOption validates the name and passes the value as one argument', async () => {
    const { tmux, runner } = server(() => ({}));
    await tmux.setGlobalOption('@agentmux-status', 'a: idle · b: busy;');
    expect(runner.calls[0]).toEqual(['set-option', '-g', '@agentmux-status', 'a: idle · b: busy;']);
    await expect(tmux.setGlobalOption('bad name', 'x')).rejects.toMatchObject({ code: 'validation_invalid_params' });
  });

  it('close leaves a runner it was given open', () => {
    const { tmux, runner } = server(() => ({}));
    tmux.close();
    expect(runner.closed).toBe(false);
  });
});
