// CI smoke test: the official MCP Inspector CLI (pinned, installed into ~/.cache/agentmux-test
// by scripts/install-test-tools.sh) lists and calls the tools of `agentmux host mcp`.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
const INSTALL_SCRIPT = resolve(import.meta.dirname, '../../../scripts/install-test-tools.sh');
let roots: TempRoots;
let inspector: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** `mcp-inspector --cli agentmux host mcp … <method args>` as `session`. */
function inspect(session: string, methodArgs: string[]): Promise<Run> {
  const server = [
    AGENTMUX_BIN,
    'host',
    'mcp',
    '--bundle',
    BUNDLE,
    '--as-session',
    session,
    '--config-directory',
    roots.configDir,
    '--state-directory',
    roots.stateDir,
  ];
  // Empty AGENTMUX_* on the Inspector make it the nearest ancestor that decides, so only the
  // flags can name the session.
  const env = cliEnv(roots, { AGENTMUX_BUNDLE: '', AGENTMUX_SESSION: '' });
  return run(inspector, ['--cli', ...server, ...methodArgs], env, 60_000);
}

beforeAll(async () => {
  // Never skip: install the pinned Inspector when it is missing (quick when present).
  const installed = await run('bash', [INSTALL_SCRIPT], process.env, 240_000);
  expect(installed.code, installed.stderr).toBe(0);
  const cache = installed.stdout.trim().split('\n').at(-1) ?? '';
  inspector = resolve(cache, 'node_modules/.bin/mcp-inspector');
  roots = makeTempRoots('insp');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
}, 300_000);

afterAll(async () => {
  if (roots === undefined) return;
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

describe('MCP Inspector CLI against agentmux host mcp', () => {
  it('lists the tools (tools/list)', async () => {
    const result = await inspect('alice', ['--method', 'tools/list']);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as { tools: { name: string; inputSchema: { type: string } }[] };
    const names = listed.tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['whoami', 'list', 'send', 'inbox', 'ack', 'thread', 'search', 'look']),
    );
    expect(names).not.toContain('raww');
    expect(listed.tools.every((t) => t.inputSchema.type === 'object')).toBe(true);
  });

  it('sends a message with tools/call and reads it back as the recipient', async () => {
    const sent = await inspect('alice', [
      '--method',
      'tools/call',
      '--tool-name',
      'send',
      '--tool-arg',
      'to=bob',
      '--tool-arg',
      'body=hello from the inspector',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    const result = JSON.parse(sent.stdout) as { structuredContent: { message_id: string; results: unknown[] } };
    expect(result.structuredContent.results).toEqual([{ target: 'bob', outcome: 'queued' }]);

    const inbox = await inspect('bob', ['--method', 'tools/call', '--tool-name', 'inbox']);
    expect(inbox.code, inbox.stderr).toBe(0);
    const read = JSON.parse(inbox.stdout) as { structuredContent: { messages: { id: string; body: string }[] } };
    expect(read.structuredContent.messages).toMatchObject([
      { id: result.structuredContent.message_id, body: 'hello from the inspector' },
    ]);
  });

  it('exits 5 with our error code when a tool returns isError', async () => {
    const failed = await inspect('alice', [
      '--method',
      'tools/call',
      '--tool-name',
      'send',
      '--tool-arg',
      'to=zed',
      '--tool-arg',
      'body=x',
    ]);
    expect(failed.code).toBe(5);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      isError: true,
      structuredContent: { error: { code: 'validation_unknown_target' } },
    });
  });
});
