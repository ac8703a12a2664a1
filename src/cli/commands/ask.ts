// `agentmux ask`: send a question and wait for the answer(s) in its thread.
import { randomUUID } from 'node:crypto';
import type { Argv, CommandModule } from 'yargs';
import type { RelayClient } from '../../client/index.js';
import { AgentmuxError, toAgentmuxError } from '../../core/errors.js';
import type { HistoryMessage, SendParams, SendResult } from '../../core/protocol/index.js';
import { sleep } from '../../core/clock.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { messageLines } from '../print/messages.js';
import { emit } from '../print/output.js';
import { waitThroughRelay } from '../relay-wait.js';
import { execute } from '../run-command.js';
import { readMessageInput } from '../send-core.js';

/** Default and largest `--timeout-ms` of `ask`. */
export const ASK_DEFAULT_TIMEOUT_MS = 300_000;
export const ASK_MAX_TIMEOUT_MS = 24 * 3600_000;

export interface AskArgs extends GlobalArgs {
  target?: string[] | undefined;
  message?: string | undefined;
  subject?: string | undefined;
  all: boolean;
  'timeout-ms': number;
}

/** What `ask --json` prints. */
export interface AskOutcome {
  message_id: string;
  thread: string;
  to: string[];
  replies: HistoryMessage[];
  /** Recipients that have not replied. */
  pending: string[];
  answered: boolean;
  timed_out: boolean;
}

/** Sends the question, then waits (across relay restarts) for the first reply, or every one with --all. */
export async function runAsk(args: AskArgs): Promise<AskOutcome> {
  const targets = [...new Set(args.target ?? [])];
  if (targets.length === 0) throw new AgentmuxError('validation_empty_targets', 'name at least one --target to ask');
  const body = await readMessageInput(args.message);
  const open = async (): Promise<RelayClient> => (await connectAs(args)).client;
  const asked = await sendQuestion(open, {
    to: targets,
    body,
    ...(args.subject === undefined ? {} : { subject: args.subject }),
    request_id: randomUUID(),
  });
  // The question's connection serves the wait too; a new one only after a lost connection.
  let spare: RelayClient | undefined = asked.client;
  const connect = async (): Promise<RelayClient> => {
    const reused = spare;
    spare = undefined;
    return reused?.open ? reused : open();
  };
  const { value } = await waitThroughRelay(
    connect,
    async (client, waitMs, timeoutMs) => {
      const result = await client.request(
        'replies.wait',
        { id: asked.result.message_id, from: targets, all: args.all, wait_ms: waitMs },
        { timeoutMs },
      );
      return { done: result.answered, value: result };
    },
    args['timeout-ms'],
  );
  return {
    message_id: asked.result.message_id,
    thread: asked.result.thread,
    to: targets,
    replies: value.replies,
    pending: value.pending,
    answered: value.answered,
    timed_out: !value.answered,
  };
}

/** How long `ask` keeps trying to hand its question to a relay that went away (e.g. restarting). */
const SEND_RETRY_MS = 15_000;

/**
 * Sends the question and keeps its connection open. A lost connection is retried with the same
 * request id (the relay journals it once) until SEND_RETRY_MS: a relay killed mid-request can
 * still accept a connection or two while the kernel tears it down, before a new one starts.
 */
async function sendQuestion(
  open: () => Promise<RelayClient>,
  params: SendParams,
): Promise<{ result: SendResult; client: RelayClient }> {
  const deadline = Date.now() + SEND_RETRY_MS;
  for (;;) {
    let client: RelayClient | undefined;
    try {
      client = await open();
      return { result: await client.request('send', params), client };
    } catch (error) {
      client?.close();
      // Lost: the connection closed under a request (hello or send). A relay that is simply not
      // there (autostart off) is reported at once.
      const coded = toAgentmuxError(error);
      const lost =
        coded.code === 'relay_unavailable' && (client !== undefined || coded.details?.lost_connection === true);
      if (!lost || Date.now() >= deadline) throw error;
      await sleep(200);
    }
  }
}

/** Replies, then what is still missing; exit 0 when answered, 1 on timeout. */
export function printAsk(outcome: AskOutcome, args: AskArgs): number {
  emit(args.json, outcome, (o) => [
    ...o.replies.flatMap((reply) => messageLines(reply)),
    ...(o.timed_out
      ? [
          `no ${args.all ? 'complete answer' : 'answer'} to ${o.message_id} within ${args['timeout-ms']} ms; ` +
            `waiting on ${o.pending.join(', ')}. The question stays in their inbox; a later reply arrives in yours ` +
            `(agentmux history --thread ${o.thread}).`,
        ]
      : []),
  ]);
  return outcome.answered ? 0 : 1;
}

export const askCommand: CommandModule<GlobalArgs, AskArgs> = {
  command: 'ask',
  describe: 'Ask sessions something and wait for the reply in that thread',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('target', { alias: 't', type: 'string', array: true, describe: 'Session to ask (repeatable)' })
      .option('message', { alias: 'm', type: 'string', describe: 'The question (else read from stdin)' })
      .option('subject', { type: 'string', describe: 'Optional subject line' })
      .option('all', { type: 'boolean', default: false, describe: 'Wait for a reply from every target' })
      .option('timeout-ms', {
        type: 'number',
        default: ASK_DEFAULT_TIMEOUT_MS,
        describe: 'How long to wait for the answer (exit 1 after it, with what arrived)',
      })
      .check((argv) => {
        const timeout = argv['timeout-ms'];
        if (!Number.isInteger(timeout) || timeout < 0 || timeout > ASK_MAX_TIMEOUT_MS) {
          throw new Error(`--timeout-ms must be an integer between 0 and ${ASK_MAX_TIMEOUT_MS}`);
        }
        return true;
      })
      .example('$0 ask -t reviewer -m "is PR 12 safe to merge?"', 'wait for the reviewer’s answer')
      .example('$0 ask -t a -t b --all -m "status?" --json', 'wait for both, print JSON'),
  handler: (args) => execute(args, runAsk, printAsk),
};
