// `agentmux mcp-config --client claude|codex|gemini`: prints the snippet that registers
// `agentmux host mcp` with that agent CLI, with the absolute agentmux path.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { McpClientKind, McpConfigSnippet } from '../../mcp/index.js';
import { entryPoint } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

const CLIENTS = ['claude', 'codex', 'gemini'] as const satisfies readonly McpClientKind[];

/** `mcp-config` flags. */
export interface McpConfigArgs extends GlobalArgs {
  client: McpClientKind;
}

/** Renders the snippet; --bundle/--as-session and explicit roots are pinned into it. */
export async function runMcpConfig(
  args: McpConfigArgs,
): Promise<{ snippet: McpConfigSnippet; lines: (s: McpConfigSnippet) => string[] }> {
  const { renderMcpConfig, snippetLines } = await import('../../mcp/client-config.js');
  const snippet = renderMcpConfig({
    client: args.client,
    command: entryPoint(),
    bundle: args.bundle,
    session: args['as-session'],
    configDirectory: args['config-directory'] === undefined ? undefined : resolve(args['config-directory']),
    stateDirectory: args['state-directory'] === undefined ? undefined : resolve(args['state-directory']),
  });
  return { snippet, lines: snippetLines };
}

/** The `mcp-config` command module. */
export const mcpConfigCommand: CommandModule<GlobalArgs, McpConfigArgs> = {
  command: 'mcp-config',
  describe: 'Print the configuration that adds agentmux as an MCP server to Claude Code, Codex or Gemini CLI',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('client', {
        type: 'string',
        choices: CLIENTS,
        demandOption: true,
        describe: 'Which agent CLI',
      })
      .example('$0 mcp-config --client claude', '.mcp.json entry and `claude mcp add` line')
      .example('$0 mcp-config --client codex', '~/.codex/config.toml [mcp_servers.agentmux] table'),
  handler: (args) => execute(args, runMcpConfig, ({ snippet, lines }) => emit(args.json, snippet, lines)),
};
