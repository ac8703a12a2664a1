// The MCP server wired to the SDK client over an in-memory pair, with a fake relay: tool
// arguments reach the relay as protocol params, results carry unread counts, a missing
// identity turns every tool into a coded error, and no tool outlives its deadline.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { withCodedToolErrors } from '../../../src/mcp/coded-errors.js';
import { createAgentmuxMcp, type McpHostOptions } from '../../../src/mcp/server.js';
import { runTool } from '../../../src/mcp/tool-context.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { FakeRelayClient } from './fake-relay-client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function writeTeam(roots: TempRoots): void {
  mkdirSync(join(roots.configDir, 'bundles'), { recursive: true });
  writeFileSync(
    join(roots.configDir, 'bundles', 'team.toml'),
    ['format-version = 1', '[[sessions]]', 'id = "alice"', `directory = "${roots.root}"`, ''].join('\n'),
  );
}

async function connect(options: Partial<McpHostOptions>): Promise<{ client: Client; logs: string[] }> {
  const logs: string[] = [];
  const host = createAgentmuxMcp({
    version: 'test',
    entryPoint: '/nonexistent/agentmux',
    flags: {},
    autoStart: false,
    env: {},
    cwd: '/',
    ancestors: () => [],
    override: () => ({ kind: 'absent', detail: 'no override file here' }),
    log: (line) => logs.push(line),
    ...options,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await host.mcp.connect(withCodedToolErrors(serverSide));
  const client = new Client({ name: 'unit', version: '0' });
  await client.connect(clientSide);
  cleanups.push(
    () => host.close(),
    () => client.close(),
  );
  return { client, logs };
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

describe('without an identity', () => {
  it('still starts, hides look/raww, and every tool names the sources it tried', async () => {
    const { client, logs } = await connect({});
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(['ack', 'ask', 'inbox', 'list', 'search', 'send', 'thread', 'whoami']);
    for (const [name, args] of [
      ['whoami', {}],
      ['list', {}],
      ['send', { to: 'bob', body: 'hi' }],
      ['ask', { to: 'bob', body: 'well?' }],
      ['inbox', {}],
      ['ack', { ids: 'X' }],
      ['thread', { id: 'X' }],
      ['search', {}],
    ] as const) {
      const result = await call(client, name, args);
      expect(result.isError, name).toBe(true);
      const error = (result.structuredContent as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('validation_unknown_session');
      expect(error.message).toContain('environment: neither AGENTMUX_BUNDLE nor AGENTMUX_SESSION');
      expect(error.message).toContain('no override file here');
    }
    await expect(client.readResource({ uri: 'agentmux://inbox' })).rejects.toThrow(/validation_unknown_session/);
    expect(logs.join('\n')).toContain('no identity');
  });
});

describe('with an identity and a fake relay', () => {
  it('maps tool arguments to protocol params and adds the unread count', async () => {
    const roots = makeTempRoots('mcpu');
    cleanups.push(() => roots.cleanup());
    writeTeam(roots);
    const relay = new FakeRelayClient({
      send: (params) => ({
        message_id: 'M1',
        thread: 'M1',
        results: (params as { to: string[] }).to.map((target) => ({ target, outcome: 'queued' })),
      }),
      'inbox.fetch': () => ({ messages: [], unread: 2 }),
    });
    const opened: boolean[] = [];
    const { client } = await connect({
      env: { AGENTMUX_BUNDLE: 'team', AGENTMUX_SESSION: 'alice' },
      flags: { configDirectory: roots.configDir, stateDirectory: roots.stateDir },
      open: (acting, autoStart) => {
        opened.push(autoStart);
        expect(acting).toMatchObject({ role: 'agent', identity: { bundle: 'team', session: 'alice' } });
        return Promise.resolve(relay.asClient());
      },
    });
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('look');

    const result = await call(client, 'send', { to: 'bob', body: 'hi', subject: 'x' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      message_id: 'M1',
      thread: 'M1',
      results: [{ target: 'bob', outcome: 'queued' }],
      unread: 2,
    });
    const sent = relay.requests.find((r) => r.method === 'send')?.params as Record<string, unknown>;
    expect(sent).toMatchObject({ to: ['bob'], body: 'hi', subject: 'x' });
    expect(typeof sent.request_id).toBe('string');
    expect(opened).toEqual([false]);

    const raww = await call(client, 'look', { target: 'bob', lines: 5000 });
    expect((raww.structuredContent as { error: { code: string } }).error.code).toBe('validation_invalid_params');
  });
});

describe('runTool', () => {
  it('ends a tool that outlives its deadline with relay_timeout', async () => {
    const context = {
      acting: { link: {} } as never,
      tried: [],
      inboxChanged: () => undefined,
    };
    let aborted = false;
    const result = await runTool(context, 'slow', { timeoutMs: 60 }, (run) => {
      run.signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise(() => undefined);
    });
    expect(aborted).toBe(true);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({
      error: { code: 'relay_timeout', details: { tool: 'slow', timeout_ms: 60 } },
    });
  });
});
