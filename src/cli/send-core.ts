// The work of `agentmux send`, shared by the yargs command and the fast path: reading the
// message, building the request, sending with one retry, printing. It imports nothing heavy.
import { randomUUID } from 'node:crypto';
import { AgentmuxError } from '../core/errors.js';
import type { SendResult } from '../core/protocol/index.js';
import type { RelayClient } from '../client/index.js';
import { sendLines } from './print/messages.js';
import { emit } from './print/output.js';

/** The send options as both parsers produce them. */
export interface SendOptions {
  targets: string[];
  broadcast: boolean;
  message: string | undefined;
  subject: string | undefined;
  replyTo: string | undefined;
  requestId: string | undefined;
  wait: boolean;
  timeoutMs: number;
  json: boolean;
}

/** Reads the message from --message, else from piped stdin; never prompts. */
export async function readMessageInput(
  message: string | undefined,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  // An empty --message is the same usage error as empty stdin (exit 2), not a relay refusal.
  if (message === '') throw new AgentmuxError('validation_missing_message_input', 'no message: --message was empty');
  if (message !== undefined) return message;
  if (stdin.isTTY) {
    // The hint says what to do; the message says what was wrong.
    throw new AgentmuxError('validation_missing_message_input', 'no message: no --message, and stdin is a terminal');
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
export async function sendMessage(options: SendOptions, connect: () => Promise<RelayClient>): Promise<SendResult> {
  // A reply without targets goes to the sender of the message it answers (the relay resolves it).
  if (!options.broadcast && options.targets.length === 0 && options.replyTo === undefined) {
    throw new AgentmuxError(
      'validation_empty_targets',
      'no recipient: no --target, --broadcast or --reply-to was given',
    );
  }
  if (options.broadcast && options.targets.length > 0) {
    throw new AgentmuxError('validation_conflicting_targets', 'use either --target or --broadcast, not both');
  }
  const body = await readMessageInput(options.message);
  const params = {
    to: options.targets,
    ...(options.broadcast ? { broadcast: true } : {}),
    body,
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    ...(options.replyTo === undefined ? {} : { reply_to: options.replyTo }),
    request_id: options.requestId ?? randomUUID(),
    ...(options.wait ? { wait_ms: options.timeoutMs } : {}),
  };
  const timeoutMs = (options.wait ? options.timeoutMs : 0) + 15_000;
  for (let attempt = 0; ; attempt += 1) {
    const client = await connect();
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
export function printSendResult(result: SendResult, options: { json: boolean; wait: boolean }): number {
  emit(options.json, result, sendLines);
  if (!options.wait) return 0;
  return result.results.every((r) => r.outcome === 'delivered') ? 0 : 1;
}
