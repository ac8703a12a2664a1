// Drives the built `agentmux host mcp` with the real MCP SDK client over stdio.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AGENTMUX_BIN, cliEnv } from '../../helpers/cli.js';
import type { TempRoots } from '../../helpers/temp-roots.js';

/** One running MCP server with its SDK client. */
export interface McpPeer {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Calls a tool and returns the result (tool errors are results, not throws). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** AGENTMUX_BUNDLE/AGENTMUX_SESSION for the server's environment (omit to test other sources). */
  bundle?: string;
  session?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Run through this program instead of bin/agentmux directly (e.g. a shell). */
  command?: { command: string; args: string[] };
  /**
   * Start the server under a shell whose AGENTMUX_BUNDLE/AGENTMUX_SESSION are set but empty: the
   * nearest ancestor naming them decides, so an identity in the environment of whoever runs
   * the tests (say, inside an agentmux pane) can never leak in as an ancestor identity.
   */
  shieldAncestors?: boolean;
}

function serverCommand(options: StartOptions): { command: string; args: string[] } {
  if (options.command) return options.command;
  const args = ['host', 'mcp', ...(options.args ?? [])];
  if (!options.shieldAncestors) return { command: AGENTMUX_BIN, args };
  return { command: '/bin/sh', args: ['-c', '"$0" "$@"; exit $?', AGENTMUX_BIN, ...args] };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** Starts `agentmux host mcp` for a session and connects an SDK client to it. */
export async function startMcp(roots: TempRoots, options: StartOptions = {}): Promise<McpPeer> {
  const identity: Record<string, string> = options.shieldAncestors ? { AGENTMUX_BUNDLE: '', AGENTMUX_SESSION: '' } : {};
  if (options.bundle !== undefined) identity.AGENTMUX_BUNDLE = options.bundle;
  if (options.session !== undefined) identity.AGENTMUX_SESSION = options.session;
  const env = definedOnly(cliEnv(roots, { ...identity, ...options.env }));
  const transport = new StdioClientTransport({
    ...serverCommand(options),
    env,
    stderr: 'pipe',
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'agentmux-test', version: '0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}

/** The text of a tool result's first content item. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

/** The structured content of a result, typed loosely for assertions. */
export function dataOf<T = Record<string, unknown>>(result: CallToolResult): T {
  return result.structuredContent as T;
}

/** The error code of an isError result. */
export function errorCodeOf(result: CallToolResult): string | undefined {
  return (result.structuredContent as { error?: { code?: string } } | undefined)?.error?.code;
}

/**
 * A bundle with policies: alice and bob use the default (look yes, raww no), carol may raww,
 * dave may neither look nor raww.
 */
export function writePolicyBundle(roots: TempRoots, bundle: string): void {
  mkdirSync(join(roots.configDir, 'bundles'), { recursive: true });
  const session = (id: string, policy?: string): string[] => [
    '[[sessions]]',
    `id = "${id}"`,
    `directory = "${roots.root}"`,
    ...(policy ? [`policy = "${policy}"`] : []),
    '',
  ];
  writeFileSync(
    join(roots.configDir, 'bundles', `${bundle}.toml`),
    [
      'format-version = 1',
      '',
      ...session('alice'),
      ...session('bob'),
      ...session('carol', 'steer'),
      ...session('dave', 'blind'),
    ].join('\n'),
  );
  writeFileSync(
    join(roots.configDir, 'policies.toml'),
    [
      'format-version = 1',
      '',
      '[[policies]]',
      'id = "steer"',
      '[policies.controls]',
      'raww = "all:home"',
      '',
      '[[policies]]',
      'id = "blind"',
      '[policies.controls]',
      'look = "none"',
      'raww = "none"',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(roots.configDir, 'tui.toml'),
    [
      `default-bundle = "${bundle}"`,
      'default-session = "user"',
      '',
      '[[sessions]]',
      'id = "user"',
      'name = "Operator"',
      '',
    ].join('\n'),
  );
}
