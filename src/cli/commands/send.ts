// `agentmux send`: one message to one or more sessions (or everyone), async by default.
import type { Argv, CommandModule } from 'yargs';
import { MAX_WAIT_MS, type SendResult } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { printSendResult, sendMessage, type SendOptions } from '../send-core.js';
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

/** Sends as the acting session. */
export function runSend(args: SendArgs): Promise<SendResult> {
  return sendMessage(sendOptionsOf(args), async () => (await connectAs(args)).client);
}

export const sendCommand: CommandModule<GlobalArgs, SendArgs> = {
  command: 'send',
  describe: 'Send a message to sessions of the bundle',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('target', { alias: 't', type: 'string', array: true, describe: 'Recipient session id (repeatable)' })
      .option('broadcast', { type: 'boolean', default: false, describe: 'Send to every agent of the bundle except me' })
      .option('message', { alias: 'm', type: 'string', describe: 'Message text (else read from stdin)' })
      .option('subject', { type: 'string', describe: 'Optional subject line' })
      .option('reply-to', { type: 'string', describe: 'Id of the message this answers (joins its thread)' })
      .option('request-id', { type: 'string', describe: 'Idempotency key: resending with it never duplicates' })
      .option('wait', {
        type: 'boolean',
        default: false,
        describe: 'Wait until every recipient has it (exit 1 otherwise)',
      })
      .option('timeout-ms', { type: 'number', default: 30_000, describe: `How long --wait waits (max ${MAX_WAIT_MS})` })
      .check((argv) => {
        const timeout = argv['timeout-ms'];
        if (!Number.isInteger(timeout) || timeout <= 0 || timeout > MAX_WAIT_MS) {
          throw new Error(`--timeout-ms must be an integer between 1 and ${MAX_WAIT_MS}`);
        }
        return true;
      })
      .example('$0 send -t bob -m "tests pass on main"', 'message bob')
      .example('git diff | $0 send -t reviewer --subject "please review"', 'message from stdin'),
  handler: (args) => execute(args, runSend, (result) => printSendResult(result, args)),
};
