// The snippets `agentmux mcp-config` prints parse as their clients' formats and point at the
// absolute agentmux path.
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { renderMcpConfig, snippetLines } from '../../../src/mcp/client-config.js';

const COMMAND = '/opt/agent mux/bin/agentmux';

describe('renderMcpConfig', () => {
  it('gives Claude a .mcp.json entry and a claude mcp add line', () => {
    const snippet = renderMcpConfig({ client: 'claude', command: COMMAND });
    expect(JSON.parse(snippet.snippet)).toEqual({
      mcpServers: { agentmux: { command: COMMAND, args: ['host', 'mcp'] } },
    });
    expect(snippet.command_line).toBe(`claude mcp add --scope project agentmux -- '${COMMAND}' host mcp`);
  });

  it('gives Codex a [mcp_servers.agentmux] table with pinned flags', () => {
    const snippet = renderMcpConfig({
      client: 'codex',
      command: COMMAND,
      bundle: 'team',
      session: 'alice',
      stateDirectory: '/s "q"',
    });
    expect(parse(snippet.snippet)).toEqual({
      mcp_servers: {
        agentmux: {
          command: COMMAND,
          args: ['host', 'mcp', '--bundle', 'team', '--as-session', 'alice', '--state-directory', '/s "q"'],
        },
      },
    });
    expect(snippet.file).toContain('~/.codex/config.toml');
    expect(snippet.notes.join(' ')).toContain('whitelist');
  });

  it('gives Gemini a settings.json mcpServers entry and a gemini mcp add line', () => {
    const snippet = renderMcpConfig({ client: 'gemini', command: '/usr/bin/agentmux', bundle: 'team' });
    expect(JSON.parse(snippet.snippet)).toEqual({
      mcpServers: { agentmux: { command: '/usr/bin/agentmux', args: ['host', 'mcp', '--bundle', 'team'] } },
    });
    expect(snippet.command_line).toBe('gemini mcp add agentmux /usr/bin/agentmux -- host mcp --bundle team');
    expect(snippetLines(snippet)[0]).toBe(`# gemini: add to ${snippet.file}`);
  });
});
