// `agentmux mcp-config` through the built CLI: the snippet names the absolute entry point and
// pins the flags it was given; a missing or unknown --client is a usage error.
import { realpathSync } from 'node:fs';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, runCli } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
beforeEach(() => {
  roots = makeTempRoots('mcpcfg');
});
afterEach(() => roots.cleanup());

describe('agentmux mcp-config', () => {
  it('prints a Claude .mcp.json entry with the absolute agentmux path', async () => {
    const result = await runCli(roots, ['mcp-config', '--client', 'claude', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { snippet: string; command_line: string };
    const config = JSON.parse(printed.snippet) as { mcpServers: { agentmux: { command: string; args: string[] } } };
    expect(config.mcpServers.agentmux).toEqual({ command: realpathSync(AGENTMUX_BIN), args: ['host', 'mcp'] });
    expect(printed.command_line).toContain('claude mcp add --scope project agentmux -- ');
  });

  it('prints a Codex TOML table with --bundle and --as-session pinned', async () => {
    const result = await runCli(roots, [
      'mcp-config',
      '--client',
      'codex',
      '--bundle',
      'team',
      '--as-session',
      'alice',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const toml = result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('#') && !line.startsWith('codex '))
      .join('\n');
    expect(parse(toml)).toEqual({
      mcp_servers: {
        agentmux: {
          command: realpathSync(AGENTMUX_BIN),
          args: ['host', 'mcp', '--bundle', 'team', '--as-session', 'alice'],
        },
      },
    });
  });

  it('refuses a missing or unknown client with exit code 2', async () => {
    expect((await runCli(roots, ['mcp-config'])).code).toBe(2);
    const unknown = await runCli(roots, ['mcp-config', '--client', 'cursor']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('validation_invalid_arguments');
  });
});
