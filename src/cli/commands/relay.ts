// `agentmux relay status|stop`: inspect or stop a bundle's relay (never starts one).
import type { Argv, CommandModule } from 'yargs';
import { sleep } from '../../core/clock.js';
import { AgentmuxError } from '../../core/errors.js';
import type { StatusSnapshot } from '../../core/protocol/index.js';
import { bundlePaths, isProcessAlive, isSocketConnectable } from '../../runtime/index.js';
import { bundleOf, connectAs, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

export interface RelayState {
  bundle: string;
  state: 'running' | 'down';
  pid: number | null;
  socket: string;
  status?: StatusSnapshot;
}

/** Asks the relay (as an observer) for its status, or reports it down. */
export async function runRelayStatus(args: GlobalArgs): Promise<RelayState> {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const paths = bundlePaths(roots.stateDir, bundle);
  if (!(await isSocketConnectable(paths.socket))) return { bundle, state: 'down', pid: null, socket: paths.socket };
  const { client } = await connectAs(args, { observer: true, autoStart: false });
  try {
    const status = await client.request('status', {});
    return { bundle, state: 'running', pid: client.hello.relay.pid, socket: paths.socket, status };
  } finally {
    client.close();
  }
}

/** Asks the relay to stop and waits until its socket is gone. */
export async function runRelayStop(args: GlobalArgs): Promise<RelayState> {
  const before = await runRelayStatus(args);
  if (before.state === 'down') return before;
  const { client } = await connectAs(args, { observer: true, autoStart: false });
  try {
    await client.request('relay.shutdown', {});
  } finally {
    client.close();
  }
  // Done when the process is gone (it releases its lock last), not merely the socket.
  for (let i = 0; i < 200 && before.pid !== null && isProcessAlive(before.pid); i += 1) await sleep(25);
  if (before.pid !== null && isProcessAlive(before.pid)) {
    throw new AgentmuxError(
      'relay_timeout',
      `relay pid ${before.pid} is still running 5 s after it was asked to stop`,
      {
        details: { bundle: before.bundle, pid: before.pid },
        hint: 'see `agentmux logs`; the relay finishes deliveries in flight before it exits',
      },
    );
  }
  return { ...before, state: 'down' };
}

const relayStatusCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'status',
  describe: 'Show whether the relay runs (exit 1 when down)',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) =>
    execute(args, runRelayStatus, (state) => {
      emit(args.json, state, (s) => [
        s.state === 'running' ? `relay for ${s.bundle} running (pid ${s.pid})` : `relay for ${s.bundle} down`,
      ]);
      return state.state === 'running' ? 0 : 1;
    }),
};

const relayStopCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'stop',
  describe: 'Stop the relay (agent sessions keep running)',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) =>
    execute(args, runRelayStop, (state) =>
      emit(args.json, state, (s) => [
        s.pid === null ? `relay for ${s.bundle} was not running` : `relay for ${s.bundle} stopped (pid ${s.pid})`,
      ]),
    ),
};

export const relayCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'relay <command>',
  describe: 'Inspect or stop the bundle relay',
  builder: (yargs: Argv<GlobalArgs>) => yargs.command(relayStatusCommand).command(relayStopCommand).demandCommand(1),
  handler: () => undefined,
};
