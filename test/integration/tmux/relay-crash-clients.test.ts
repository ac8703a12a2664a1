// A relay killed with SIGKILL cannot detach its tmux control clients; tmux holds their stdin
// and stdout, so they stay attached for the server's life. The next relay must end them, or
// every crash leaks a tmux process per session and `down` leaves a server that never exits.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relayPid } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { tmuxBinary } from '../../../src/transports/tmux/runner.js';
import { BUNDLE, startCrew, type Crew } from './crew-fixture.js';

let crew: Crew | undefined;
const strays: number[] = [];
let fifoFd: number | undefined;

afterEach(async () => {
  const current = crew;
  crew = undefined;
  await current?.stop();
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended, as it should be
    }
  }
  if (fifoFd !== undefined) closeSync(fifoFd);
  fifoFd = undefined;
});

/** Pids of `tmux … -S <socket> -C attach-session` processes, with their parent pids. */
function controlClients(socket: string): { pid: number; parent: number }[] {
  const found: { pid: number; parent: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf('-S');
      if (at === -1 || argv[at + 1] !== socket || !argv.includes('-C')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      found.push({ pid, parent: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

describe('a control client left attached by a dead relay', () => {
  it('is ended by the next relay, so down then ends the tmux server', async () => {
    crew = await startCrew([{ id: 'alice' }]);
    const { cli, roots, team } = crew;
    // What a SIGKILLed relay can leave: an attached control client adopted by init. Made here
    // on purpose (whether a real crash leaves one depends on timing): a shell starts it in the
    // background and exits; its stdin is a pipe that never ends.
    const fifo = join(roots.root, 'control-stdin');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    fifoFd = openSync(fifo, 'r+');
    const attach = `'${tmuxBinary()}' -S '${team.tmuxSocket}' -C attach-session -t =alice`;
    const keeper = spawn('sh', ['-c', `${attach} <'${fifo}' >/dev/null 2>&1 &`], {
      detached: true,
      stdio: 'ignore',
    });
    await new Promise((resolve) => keeper.once('exit', resolve));
    await waitFor(() => controlClients(team.tmuxSocket).some((c) => c.parent === 1), 10_000, 'a stray control client');
    const stray = controlClients(team.tmuxSocket).filter((c) => c.parent === 1);
    strays.push(...stray.map((c) => c.pid));

    const first = relayPid(roots, BUNDLE) as number;
    expect((await cli(['relay', 'stop'])).code).toBe(0);
    const listed = await cli(['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(relayPid(roots, BUNDLE)).not.toBe(first);
    await waitFor(
      () => controlClients(team.tmuxSocket).every((c) => !stray.some((s) => s.pid === c.pid)),
      10_000,
      'the stray control client to end',
    );

    const down = await cli(['down', '--json']);
    expect(down.code, down.stderr).toBe(0);
    await waitFor(async () => (await team.tmux(['list-sessions'])).code !== 0, 10_000, 'the tmux server to exit');
    expect(controlClients(team.tmuxSocket)).toEqual([]);
  }, 90_000);
});
