// `agentmux list`: the bundle's sessions with state, queue depth and unread mail.
import type { Argv, CommandModule } from 'yargs';
import type { ListResult } from '../../core/protocol/index.js';
import type { WorktreeStatus } from '../../workspace/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { listLines } from '../print/messages.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';
import { worktreeStatuses } from './worktree.js';

/** A listed session with its worktree's branch and changed-file count, when it has one. */
export type ListedSession = ListResult['sessions'][number] & {
  worktree?: { branch: string; changed: number; path: string };
};

/** `list` with worktree details added on this side (git is never run by the relay for it). */
export type ListOutput = ListResult & { sessions: ListedSession[] };

/** Lists sessions (as the acting session, so its policy applies). */
export async function runList(args: GlobalArgs): Promise<ListOutput> {
  const { client } = await connectAs(args);
  let result: ListResult;
  try {
    result = await client.request('list', {});
  } finally {
    client.close();
  }
  const statuses = await worktreeStatuses({ ...args, bundle: result.bundle }).catch(
    () => new Map<string, WorktreeStatus>(),
  );
  return {
    ...result,
    sessions: result.sessions.map((session) => {
      const status = statuses.get(session.id);
      return status?.exists
        ? { ...session, worktree: { branch: status.branch, changed: status.changed, path: status.path } }
        : session;
    }),
  };
}

export const listCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: ['list', 'ls'],
  describe: 'List the sessions of the bundle',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runList, (result) => emit(args.json, result, listLines)),
};
