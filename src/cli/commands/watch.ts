// `agentmux watch`: takes delivery of my messages as they arrive and acks each one;
// reconnects (and restarts the relay when allowed) if the relay goes away.
import type { Argv, CommandModule } from 'yargs';
import { ReconnectLoop } from '../../client/reconnect-loop.js';
import { toAgentmuxError } from '../../core/errors.js';
import type { InboxMessage } from '../../core/protocol/index.js';
import type { RelayClient } from '../../client/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { messageLines } from '../print/messages.js';
import { emitLine, note, out } from '../print/output.js';
import { execute } from '../run-command.js';

/** Ids remembered to drop redeliveries after a reconnect. */
const SEEN_LIMIT = 200_000;

export interface WatchArgs extends GlobalArgs {
  events: boolean;
}

/**
 * Streams messages until SIGINT/SIGTERM; each is printed once and acked. With --events this
 * connection also supervises every agent: their transitions arrive as messages from
 * SYSTEM_SENDER while it stays connected.
 */
export async function runWatch(args: WatchArgs): Promise<void> {
  const seen = new Set<string>();
  let client: RelayClient | undefined;
  let stopping = false;
  const connectOnce = async (): Promise<void> => {
    const current = (await connectAs(args)).client;
    client = current;
    if (stopping) {
      current.close();
      return;
    }
    const closed = new Promise<void>((resolve) => current.onClose(resolve));
    current.on('message.received', ({ message }) => {
      if (!seen.has(message.id)) {
        seen.add(message.id);
        if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
        show(message, args.json);
      }
      current.request('inbox.ack', { ids: [message.id] }).catch(() => undefined);
    });
    try {
      await current.request('subscribe', { messages: true, ...(args.events ? { supervise: true } : {}) });
    } catch (error) {
      current.close();
      throw error;
    }
    await closed;
  };
  const loop = new ReconnectLoop({
    connectOnce,
    backoff: { firstMs: 500, maxMs: 500 },
    onWait: ({ error }) =>
      note(
        error === undefined
          ? 'agentmux: relay connection lost; reconnecting…'
          : `agentmux: ${toAgentmuxError(error).message}; retrying`,
      ),
  });
  const onSignal = (): void => {
    stopping = true;
    loop.stop();
    client?.close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await loop.start();
  } finally {
    client?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function show(message: InboxMessage, json: boolean): void {
  if (json) emitLine(message);
  else for (const line of messageLines(message)) out(line);
}

export const watchCommand: CommandModule<GlobalArgs, WatchArgs> = {
  command: 'watch',
  describe: 'Print my messages as they arrive (NDJSON with --json) until Ctrl-C',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.option('events', {
      type: 'boolean',
      default: false,
      describe: 'Also receive supervisor events (turn finished, waiting, exited, delivery failed) for every agent',
    }),
  handler: (args) => execute(args, runWatch, () => 0),
};
