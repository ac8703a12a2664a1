// Configuration snippets that register `agentmux host mcp` with an agent CLI (Claude Code,
// Codex CLI, Gemini CLI). Pure: the command prints what this returns.
import { quote } from 'shell-quote';

/** The agent CLIs we print a snippet for. */
export const MCP_CLIENTS = ['claude', 'codex', 'gemini'] as const;
/** One of MCP_CLIENTS. */
export type McpClientKind = (typeof MCP_CLIENTS)[number];

/** What a snippet is rendered from. */
export interface McpConfigInput {
  client: McpClientKind;
  /** Absolute path of the agentmux entry point. */
  command: string;
  bundle?: string | undefined;
  session?: string | undefined;
  configDirectory?: string | undefined;
  stateDirectory?: string | undefined;
}

/** One client's snippet: where it goes, the text, and the equivalent CLI command. */
export interface McpConfigSnippet {
  client: McpClientKind;
  file: string;
  format: 'json' | 'toml';
  snippet: string;
  command_line: string;
  notes: string[];
}

/** The server name the snippets register. */
export const MCP_SERVER_NAME = 'agentmux';

/** `host mcp` plus the flags the user asked to pin. */
export function serverArgs(input: McpConfigInput): string[] {
  const args = ['host', 'mcp'];
  if (input.bundle) args.push('--bundle', input.bundle);
  if (input.session) args.push('--as-session', input.session);
  if (input.configDirectory) args.push('--config-directory', input.configDirectory);
  if (input.stateDirectory) args.push('--state-directory', input.stateDirectory);
  return args;
}

const IDENTITY_NOTE =
  'Inside panes started by `agentmux up` the server takes its identity from AGENTMUX_BUNDLE and ' +
  'AGENTMUX_SESSION, so one entry serves every agent; --bundle/--as-session only apply outside them.';

function jsonSnippet(input: McpConfigInput): string {
  const server = { command: input.command, args: serverArgs(input) };
  return JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: server } }, null, 2);
}

function tomlSnippet(input: McpConfigInput): string {
  // JSON string escapes are valid TOML basic-string escapes.
  const args = serverArgs(input)
    .map((arg) => JSON.stringify(arg))
    .join(', ');
  return [`[mcp_servers.${MCP_SERVER_NAME}]`, `command = ${JSON.stringify(input.command)}`, `args = [${args}]`].join(
    '\n',
  );
}

/** Renders the snippet for one client. */
export function renderMcpConfig(input: McpConfigInput): McpConfigSnippet {
  const server = quote([input.command, ...serverArgs(input)]);
  switch (input.client) {
    case 'claude':
      return {
        client: 'claude',
        file: '.mcp.json (project root; merge into "mcpServers")',
        format: 'json',
        snippet: jsonSnippet(input),
        command_line: `claude mcp add --scope project ${MCP_SERVER_NAME} -- ${server}`,
        notes: [IDENTITY_NOTE],
      };
    case 'codex':
      return {
        client: 'codex',
        file: '~/.codex/config.toml (or .codex/config.toml in a trusted project)',
        format: 'toml',
        snippet: tomlSnippet(input),
        command_line: `codex mcp add ${MCP_SERVER_NAME} -- ${server}`,
        notes: [
          IDENTITY_NOTE,
          'Codex passes MCP servers only a whitelist of environment variables; the server then finds ' +
            'AGENTMUX_BUNDLE/AGENTMUX_SESSION in the environment of the Codex process that started it.',
        ],
      };
    case 'gemini':
      return {
        client: 'gemini',
        file: '.gemini/settings.json (project) or ~/.gemini/settings.json (user); merge into "mcpServers"',
        format: 'json',
        snippet: jsonSnippet(input),
        command_line: `gemini mcp add ${MCP_SERVER_NAME} ${quote([input.command])} -- ${quote(serverArgs(input))}`,
        notes: [IDENTITY_NOTE],
      };
  }
}

/** The snippet as text for people: where it goes, the snippet, the command, the notes. */
export function snippetLines(snippet: McpConfigSnippet): string[] {
  return [
    `# ${snippet.client}: add to ${snippet.file}`,
    snippet.snippet,
    '',
    '# or run:',
    snippet.command_line,
    '',
    ...snippet.notes.map((note) => `# ${note}`),
  ];
}
