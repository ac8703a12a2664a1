// `agentmux permissions`: the ACP permission requests waiting for an operator.
import type { Argv, CommandModule } from 'yargs';
import type { PermissionListResult } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

/** Lists pending requests (policy control `grant`). */
export async function runPermissions(args: GlobalArgs): Promise<PermissionListResult> {
  const { client } = await connectAs(args);
  try {
    return await client.request('permission.list', {});
  } finally {
    client.close();
  }
}

/** One block per request: id, session and title; its options; when it was asked and when the default applies. */
export function permissionLines(result: PermissionListResult): string[] {
  if (result.permissions.length === 0) return ['no pending permission requests'];
  return result.permissions.flatMap((p) => [
    `${p.id}  ${p.session}  ${p.title}`,
    `  options: ${p.options.map((o) => `${o.id} (${o.name}, ${o.kind})`).join(' · ')}`,
    `  asked ${p.requested_at.slice(11, 19)} · default at ${p.expires_at.slice(11, 19)}${p.message_id ? ` · message ${p.message_id}` : ''}`,
  ]);
}

export const permissionsCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'permissions',
  describe: 'List ACP permission requests waiting for an operator',
  builder: (yargs: Argv<GlobalArgs>) => yargs.example('$0 permissions', 'then: $0 approve ID  or  $0 deny ID'),
  handler: (args) => execute(args, runPermissions, (result) => emit(args.json, result, permissionLines)),
};
