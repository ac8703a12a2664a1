// `agentmux send`: one message to one or more sessions (or everyone), async by default.
import type { Argv, CommandModule } from 'yargs';
import { MAX_WAIT_MS, type SendResult } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { printSendResult, sendMessage, type SendOptions } from '../send-core.js';
import { SEND_OPTION_SPECS, type CliOptionSpec } from '../send-options.js';
import { execute } from '../run-command.js';

export interface SendArgs extends GlobalArgs {
  target?: string[] | undefined;
  broadcast: boolean;
  message?: string | undefined;
  subject?: string | undefined;
  'reply-to'?: string | undefined;
  'request-id'?: string | undefined;
  wait: boolean;
  'timeout-ms': number;
}

/** Maps the yargs arguments onto the shared send options. */
export function sendOptionsOf(args: SendArgs): SendOptions {
  return {
    targets: args.target ?? [],
    broadcast: args.broadcast,
    message: args.message,
    subject: args.subject,
    replyTo: args['reply-to'],
    requestId: args['request-id'],
    wait: args.wait,
    timeoutMs: args['timeout-ms'],
    json: args.json,
  };
}

/** The send options (SEND_OPTION_SPECS, shared with the fast path) on a yargs parser. */
export function withSendOptions(yargs: Argv<GlobalArgs>): Argv<SendArgs> {
  let parser: Argv<GlobalArgs> = yargs;
  for (const [name, spec] of Object.entries(SEND_OPTION_SPECS) as [string, CliOptionSpec][]) {
    parser = parser.option(name, {
      type: spec.type,
      ...(spec.short === undefined ? {} : { alias: spec.short }),
      ...(spec.multiple === true ? { array: true } : {}),
      ...(spec.default === undefined ? {} : { default: spec.default }),
      describe: name === 'timeout-ms' ? `${spec.describe} (max ${MAX_WAIT_MS})` : spec.describe,
    });
  }
  return parser as unknown as Argv<SendArgs>;
}

/** Sends as the acting session. */
export function runSend(args: SendArgs): Promise<SendResult> {
  return sendMessage(sendOptionsOf(args), async () => (await connectAs(args)).client);
}

export const sendCommand: CommandModule<GlobalArgs, SendArgs> = {
  command: 'send',
  describe: 'Send a message to sessions of the bundle',
  builder: (yargs: Argv<GlobalArgs>) =>
    withSendOptions(yargs)
      .check((argv) => {
        const timeout = argv['timeout-ms'];
        if (!Number.isInteger(timeout) || timeout <= 0 || timeout > MAX_WAIT_MS) {
          throw new Error(`--timeout-ms must be an integer between 1 and ${MAX_WAIT_MS}`);
        }
        return true;
      })
      .example('$0 send -t bob -m "tests pass on main"', 'message bob')
      .example('git diff | $0 send -t reviewer', 'message from stdin'),
  handler: (args) => execute(args, runSend, (result) => printSendResult(result, args)),
};
