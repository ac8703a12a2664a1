// `agentmux send`: one message to one or more sessions (or everyone), async by default.
import { randomUUID } from 'node:crypto';
import type { Argv, CommandModule } from 'yargs';
import { AgentmuxError } from '../../core/errors.js';
import { MAX_WAIT_MS, type SendResult } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { sendLines } from '../print/messages.js';
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

/** Reads the message from --message, else from piped stdin; never prompts. */
export async function readMessageInput(
  message: string | undefined,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  if (message !== undefined) return message;
  if (stdin.isTTY) {
    throw new AgentmuxError('validation_missing_message_input', 'no message: pass --message TEXT or pipe it on stdin');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) {
    throw new AgentmuxError('validation_missing_message_input', 'no message: stdin was empty');
  }
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Sends; retries once with the same request id if the connection drops mid-request. */
export async function runSend(args: SendArgs): Promise<SendResult> {
  const targets = args.target ?? [];
  if (!args.broadcast && targets.length === 0) {
    throw new AgentmuxError('validation_empty_targets', 'name at least one --target, or use --broadcast');
  }
  if (args.broadcast && targets.length > 0) {
    throw new AgentmuxError('validation_conflicting_targets', 'use either --target or --broadcast, not both');
  }
  const body = await readMessageInput(args.message);
  const params = {
    to: targets,
    ...(args.broadcast ? { broadcast: true } : {}),
    body,
    ...(args.subject === undefined ? {} : { subject: args.subject }),
    ...(args['reply-to'] === undefined ? {} : { reply_to: args['reply-to'] }),
    request_id: args['request-id'] ?? randomUUID(),
    ...(args.wait ? { wait_ms: args['timeout-ms'] } : {}),
  };
  const timeoutMs = (args.wait ? args['timeout-ms'] : 0) + 15_000;
  for (let attempt = 0; ; attempt += 1) {
    const { client } = await connectAs(args);
    try {
      return await client.request('send', params, { timeoutMs });
    } catch (error) {
      const lost =
        error instanceof AgentmuxError && error.code === 'relay_unavailable' && error.details?.lost_connection === true;
      if (!lost || attempt > 0) throw error;
    } finally {
      client.close();
    }
  }
}

/** Exit 0 unless --wait was asked and some recipient is not delivered. */
export function printSend(result: SendResult, args: SendArgs): number {
  emit(args.json, result, sendLines);
  if (!args.wait) return 0;
  return result.results.every((r) => r.outcome === 'delivered') ? 0 : 1;
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
  handler: (args) => execute(args, runSend, printSend),
};
