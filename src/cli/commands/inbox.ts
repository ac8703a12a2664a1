// `agentmux inbox`: messages addressed to me, oldest first; reading marks them read.
import type { Argv, CommandModule } from 'yargs';
import type { InboxMessage } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { inboxLines } from '../print/messages.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

export interface InboxArgs extends GlobalArgs {
  unread: boolean;
  limit: number;
  peek: boolean;
}

/** Fetches the inbox (marking what it shows as read unless --peek). */
export async function runInbox(args: InboxArgs): Promise<InboxMessage[]> {
  const { client } = await connectAs(args);
  try {
    const result = await client.request('inbox.fetch', {
      unread_only: args.unread,
      limit: args.limit,
      mark_read: !args.peek,
    });
    return result.messages;
  } finally {
    client.close();
  }
}

export const inboxCommand: CommandModule<GlobalArgs, InboxArgs> = {
  command: 'inbox',
  describe: 'Show messages addressed to me (marks them read)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('unread', { type: 'boolean', default: false, describe: 'Only unread messages' })
      .option('limit', { type: 'number', default: 50, describe: 'At most this many (newest)' })
      .option('peek', {
        type: 'boolean',
        default: false,
        describe: 'Do not mark shown messages read',
      }),
  handler: (args) => execute(args, runInbox, (messages) => emit(args.json, messages, inboxLines)),
};
