// `agentmux list`: the bundle's sessions with state, queue depth and unread mail.
import type { Argv, CommandModule } from 'yargs';
import type { ListResult } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { listLines } from '../print/messages.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

/** Lists sessions (as the acting session, so its policy applies). */
export async function runList(args: GlobalArgs): Promise<ListResult> {
  const { client } = await connectAs(args);
  try {
    return await client.request('list', {});
  } finally {
    client.close();
  }
}

export const listCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: ['list', 'ls'],
  describe: 'List the sessions of the bundle',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runList, (result) => emit(args.json, result, listLines)),
};
