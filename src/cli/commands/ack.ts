// `agentmux ack ID…`: marks messages read (and completes deliveries still queued).
import type { Argv, CommandModule } from 'yargs';
import type { InboxAckResult } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

export interface AckArgs extends GlobalArgs {
  ids: string[];
}

/** Acks the given ids; unknown ids are reported, not fatal. */
export async function runAck(args: AckArgs): Promise<InboxAckResult> {
  const { client } = await connectAs(args);
  try {
    return await client.request('inbox.ack', { ids: args.ids });
  } finally {
    client.close();
  }
}

/** Exit 1 when any id was unknown. */
export function printAck(result: InboxAckResult, args: AckArgs): number {
  emit(args.json, result, (r) => [
    `acked ${r.acked.length}${r.unknown.length ? `; unknown: ${r.unknown.join(', ')}` : ''} · ${r.unread} unread`,
  ]);
  return result.unknown.length > 0 ? 1 : 0;
}

export const ackCommand: CommandModule<GlobalArgs, AckArgs> = {
  command: 'ack <ids..>',
  describe: 'Mark messages read',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.positional('ids', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'Message ids',
    }),
  handler: (args) => execute(args, runAck, printAck),
};
