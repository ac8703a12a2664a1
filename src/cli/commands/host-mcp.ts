// `agentmux host mcp`: the MCP server for one agent session, on stdio. The SDK loads only here.
import type { Argv, CommandModule } from 'yargs';
import { entryPoint } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { execute } from '../run-command.js';
import { VERSION } from '../version.js';

/** Serves MCP until the client closes stdin; stdout carries only the protocol. */
export async function runHostMcp(args: GlobalArgs): Promise<number> {
  const { serveMcpStdio } = await import('../../mcp/index.js');
  return serveMcpStdio({
    version: VERSION,
    entryPoint: entryPoint(),
    flags: {
      bundle: args.bundle,
      session: args['as-session'],
      configDirectory: args['config-directory'],
      stateDirectory: args['state-directory'],
    },
    autoStart: args.autostart,
  });
}

/** The `host mcp` subcommand module. */
export const hostMcpCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'mcp',
  describe:
    'Run the MCP server for one agent session on stdio (identity: $AGENTMUX_BUNDLE/$AGENTMUX_SESSION, ' +
    'the parent processes, --bundle/--as-session, then the worktree override file)',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runHostMcp, (code) => code),
};
