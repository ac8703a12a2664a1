// `agentmux watch`: takes delivery of my messages as they arrive and acks each one;
// reconnects (and restarts the relay when allowed) if the relay goes away.
import type { Argv, CommandModule } from 'yargs';
import { sleep } from '../../core/clock.js';
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

/** Streams messages until SIGINT/SIGTERM; each is printed once and acked. */
export async function runWatch(args: GlobalArgs): Promise<void> {
  const seen = new Set<string>();
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let client: RelayClient | undefined;
  try {
    while (!stop.signal.aborted) {
      try {
        client = (await connectAs(args)).client;
      } catch (error) {
        note(`agentmux: ${toAgentmuxError(error).message}; retrying`);
        await sleep(500, stop.signal).catch(() => undefined);
        continue;
      }
      const closed = new Promise<void>((resolve) => client?.onClose(resolve));
      const current = client;
      current.on('message.received', ({ message }) => {
        if (!seen.has(message.id)) {
          seen.add(message.id);
          if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
          show(message, args.json);
        }
        current.request('inbox.ack', { ids: [message.id] }).catch(() => undefined);
      });
      await current.request('subscribe', { messages: true });
      await Promise.race([
        closed,
        new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true })),
      ]);
      current.close();
      if (!stop.signal.aborted) note('agentmux: relay connection lost; reconnecting…');
    }
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

export const watchCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'watch',
  describe: 'Print my messages as they arrive (NDJSON with --json) until Ctrl-C',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runWatch, () => 0),
};
