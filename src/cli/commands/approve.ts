// `agentmux approve ID [--option O]` and `agentmux deny ID`: answer an ACP agent's
// permission request (see `agentmux permissions`).
import type { Argv, CommandModule } from 'yargs';
import type { PermissionResolution } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

export interface ApproveArgs extends GlobalArgs {
  id: string;
  option?: string | undefined;
}

export interface DenyArgs extends GlobalArgs {
  id: string;
}

/** Approves with the named option, or the agent's first allow option. */
export async function runApprove(args: ApproveArgs): Promise<PermissionResolution> {
  const { client } = await connectAs(args);
  try {
    return await client.request('permission.approve', {
      id: args.id,
      ...(args.option === undefined ? {} : { option: args.option }),
    });
  } finally {
    client.close();
  }
}

/** Denies with the agent's reject option (or cancels the request when it offered none). */
export async function runDeny(args: DenyArgs): Promise<PermissionResolution> {
  const { client } = await connectAs(args);
  try {
    return await client.request('permission.deny', { id: args.id });
  } finally {
    client.close();
  }
}

/** `<verb> <id> (<session>): <option or cancelled>`. */
export function resolutionLines(verb: string): (resolution: PermissionResolution) => string[] {
  return (r) => [`${verb} ${r.id} (${r.session}): ${r.option ?? 'cancelled'}`];
}

const idPositional = <T extends GlobalArgs>(yargs: Argv<T>) =>
  yargs.positional('id', { type: 'string', demandOption: true, describe: 'Request id (see agentmux permissions)' });

export const approveCommand: CommandModule<GlobalArgs, ApproveArgs> = {
  command: 'approve <id>',
  describe: "Approve an ACP agent's permission request",
  builder: (yargs: Argv<GlobalArgs>) =>
    idPositional(yargs).option('option', {
      alias: 'o',
      type: 'string',
      describe: 'Option id to choose (default: the first allow option)',
    }),
  handler: (args) => execute(args, runApprove, (result) => emit(args.json, result, resolutionLines('approved'))),
};

export const denyCommand: CommandModule<GlobalArgs, DenyArgs> = {
  command: 'deny <id>',
  describe: "Deny an ACP agent's permission request",
  builder: (yargs: Argv<GlobalArgs>) => idPositional(yargs),
  handler: (args) => execute(args, runDeny, (result) => emit(args.json, result, resolutionLines('denied'))),
};
