// `agentmux history`: journaled messages with delivery states; search and threads.
import type { Argv, CommandModule } from 'yargs';
import type { HistoryMessage } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { historyLines } from '../print/messages.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

export interface HistoryArgs extends GlobalArgs {
  search?: string | undefined;
  fts: boolean;
  thread?: string | undefined;
  session?: string | undefined;
  limit: number;
}

/** Searches the journal (a thread id or any message id of the thread selects a thread). */
export async function runHistory(args: HistoryArgs): Promise<HistoryMessage[]> {
  const { client } = await connectAs(args);
  try {
    if (args.thread !== undefined && args.search === undefined) {
      return (await client.request('thread.get', { id: args.thread })).messages.slice(-args.limit);
    }
    const result = await client.request('history.search', {
      ...(args.search === undefined ? {} : { query: args.search, fts: args.fts }),
      ...(args.thread === undefined ? {} : { thread: args.thread }),
      ...(args.session === undefined ? {} : { session: args.session }),
      limit: args.limit,
    });
    return result.messages;
  } finally {
    client.close();
  }
}

export const historyCommand: CommandModule<GlobalArgs, HistoryArgs> = {
  command: 'history',
  describe: 'Show and search message history',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('search', { alias: 's', type: 'string', describe: 'Full-text search (a phrase unless --fts)' })
      .option('fts', { type: 'boolean', default: false, describe: 'Treat --search as an FTS5 query' })
      .option('thread', { type: 'string', describe: 'Only this thread (thread id or any message id in it)' })
      .option('session', { type: 'string', describe: 'Only messages this session sent or received' })
      .option('limit', {
        type: 'number',
        default: 50,
        describe: 'At most this many (newest)',
      }),
  handler: (args) => execute(args, runHistory, (messages) => emit(args.json, messages, historyLines)),
};
