// `agentmux wait`: block until sessions reach a state (scripts, CI: "until every agent is idle").
import type { Argv, CommandModule } from 'yargs';
import { WaitableStateSchema, type SessionsWaitResult, type WaitableState } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { waitThroughRelay } from '../relay-wait.js';
import { execute } from '../run-command.js';

export const WAIT_DEFAULT_TIMEOUT_MS = 300_000;
export const WAIT_MAX_TIMEOUT_MS = 24 * 3600_000;

export interface WaitArgs extends GlobalArgs {
  sessions: string[];
  state: WaitableState;
  'timeout-ms': number;
}

/** Waits as an observer (no session needed), reconnecting if the relay restarts. */
export async function runWait(args: WaitArgs): Promise<SessionsWaitResult> {
  const { value } = await waitThroughRelay(
    async () => (await connectAs(args, { observer: true })).client,
    async (client, waitMs, timeoutMs) => {
      const result = await client.request(
        'sessions.wait',
        { sessions: args.sessions, state: args.state, wait_ms: waitMs },
        { timeoutMs },
      );
      return { done: result.reached, value: result };
    },
    args['timeout-ms'],
  );
  return value;
}

/** Exit 0 when every session reached the state, 1 on timeout. */
export function printWait(result: SessionsWaitResult, args: WaitArgs): number {
  emit(args.json, result, (r) => [
    ...r.sessions.map((s) => `${s.id}\t${s.state}${s.reason ? `\t${s.reason}` : ''}`),
    ...(r.reached ? [] : [`timed out after ${args['timeout-ms']} ms waiting for ${args.state}`]),
  ]);
  return result.reached ? 0 : 1;
}

export const waitCommand: CommandModule<GlobalArgs, WaitArgs> = {
  command: 'wait <sessions..>',
  describe: 'Wait until sessions are in a state (idle, busy, waiting_input, offline)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('sessions', { type: 'string', array: true, demandOption: true, describe: 'Session ids' })
      .option('state', {
        type: 'string',
        choices: WaitableStateSchema.options,
        demandOption: true,
        describe: 'The state to wait for',
      })
      .option('timeout-ms', {
        type: 'number',
        default: WAIT_DEFAULT_TIMEOUT_MS,
        describe: 'Give up after this long (exit 1)',
      })
      .check((argv) => {
        const timeout = argv['timeout-ms'];
        if (!Number.isInteger(timeout) || timeout < 0 || timeout > WAIT_MAX_TIMEOUT_MS) {
          throw new Error(`--timeout-ms must be an integer between 0 and ${WAIT_MAX_TIMEOUT_MS}`);
        }
        return true;
      })
      .example('$0 wait alice bob --state idle --timeout-ms 600000', 'until both agents are idle'),
  handler: (args) => execute(args, runWait, printWait),
};
