// Registers `agentmux host mcp` with an agent CLI for `agentmux init`: Claude Code's project
// `.mcp.json` (and its approval in `.claude/settings.local.json`), Gemini's project
// `.gemini/settings.json`, Codex's `[mcp_servers.agentmux]` in $CODEX_HOME/config.toml. Only
// our entry is added; an existing `agentmux` server entry is left as the user wrote it.
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { editedText, readJsonSettings, readText, writeTextAtomic, type JsonObject } from '../hooks/index.js';
import { MCP_SERVER_NAME, serverArgs, type McpClientKind } from './client-config.js';

/** Where an MCP registration goes. */
export interface McpInstallTarget {
  client: McpClientKind;
  /** The project directory (Claude, Gemini). */
  dir: string;
  codexHome: string;
  /** Absolute agentmux entry point. */
  command: string;
  dryRun: boolean;
}

/** What was (or, dry, would be) done to one file. */
export interface McpInstallOutcome {
  client: McpClientKind;
  path: string;
  action: 'installed' | 'unchanged' | 'kept';
  note?: string;
}

/** Adds our MCP server to the client's config unless an `agentmux` server is already there. */
export function installMcpConfig(target: McpInstallTarget): McpInstallOutcome[] {
  const server = { command: target.command, args: serverArgs({ client: target.client, command: target.command }) };
  switch (target.client) {
    case 'claude':
      return [
        addJsonServer(join(target.dir, '.mcp.json'), server, target),
        // Claude asks before it starts a project server; this file is the user's local approval.
        approveClaudeServer(join(target.dir, '.claude', 'settings.local.json'), target),
      ];
    case 'gemini':
      return [addJsonServer(join(target.dir, '.gemini', 'settings.json'), server, target)];
    case 'codex':
      return [addCodexServer(join(target.codexHome, 'config.toml'), server, target)];
  }
}

function addJsonServer(
  path: string,
  server: { command: string; args: string[] },
  target: McpInstallTarget,
): McpInstallOutcome {
  const file = readJsonSettings(path);
  const servers = isObject(file.value.mcpServers) ? file.value.mcpServers : {};
  const existing = servers[MCP_SERVER_NAME];
  if (existing !== undefined) {
    const same = JSON.stringify(existing) === JSON.stringify(server);
    return {
      client: target.client,
      path,
      action: same ? 'unchanged' : 'kept',
      ...(same ? {} : { note: `an ${MCP_SERVER_NAME} server is already configured there; left as it is` }),
    };
  }
  const next: JsonObject = { ...file.value, mcpServers: { ...servers, [MCP_SERVER_NAME]: server } };
  if (!target.dryRun) writeTextAtomic(path, editedText(file, next));
  return { client: target.client, path, action: 'installed' };
}

function approveClaudeServer(path: string, target: McpInstallTarget): McpInstallOutcome {
  const file = readJsonSettings(path);
  const listed: unknown = file.value.enabledMcpjsonServers;
  const enabled: unknown[] = Array.isArray(listed) ? (listed as unknown[]) : [];
  if (enabled.includes(MCP_SERVER_NAME)) return { client: 'claude', path, action: 'unchanged' };
  const next: JsonObject = { ...file.value, enabledMcpjsonServers: [...enabled, MCP_SERVER_NAME] };
  if (!target.dryRun) writeTextAtomic(path, editedText(file, next));
  return { client: 'claude', path, action: 'installed' };
}

function addCodexServer(
  path: string,
  server: { command: string; args: string[] },
  target: McpInstallTarget,
): McpInstallOutcome {
  const text = readText(path).text ?? '';
  const parsed = parse(text) as { mcp_servers?: Record<string, unknown> };
  if (parsed.mcp_servers?.[MCP_SERVER_NAME] !== undefined) return { client: 'codex', path, action: 'kept' };
  // A new table at the end never changes the meaning of anything above it.
  const table = [
    `[mcp_servers.${MCP_SERVER_NAME}] # written by agentmux init`,
    `command = ${JSON.stringify(server.command)}`,
    `args = [${server.args.map((arg) => JSON.stringify(arg)).join(', ')}]`,
  ].join('\n');
  const next = `${text.replace(/\n*$/, text === '' ? '' : '\n\n')}${table}\n`;
  if (!target.dryRun) writeTextAtomic(path, next);
  return { client: 'codex', path, action: 'installed' };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
