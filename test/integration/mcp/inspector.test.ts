// CI smoke test: the official MCP Inspector CLI (pinned, installed into ~/.cache/agentmux-test
// by scripts/install-test-tools.sh) lists and calls the tools of `agentmux host mcp`.
// `npm test` never installs anything: .ci/run installs the tools in its "test tools" stage and
// sets AGENTMUX_REQUIRE_TEST_TOOLS=1, under which a missing Inspector fails this file; without
// it (a developer's machine) the file is skipped with a note saying how to run it.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
const INSPECTOR_VERSION = '2.12.0';
const CACHE = process.env.AGENTMUX_TEST_CACHE || join(homedir(), '.cache', 'agentmux-test');
const INSPECTOR_PACKAGE = join(CACHE, 'node_modules', '@modelcontextprotocol', 'inspector', 'package.json');
const inspector = resolve(CACHE, 'node_modules/.bin/mcp-inspector');
const REQUIRED = process.env.AGENTMUX_REQUIRE_TEST_TOOLS === '1';
let roots: TempRoots;

/** The pinned Inspector's version in the test cache, or why it is not usable. */
function inspectorProblem(): string | undefined {
  try {
    const version = (JSON.parse(readFileSync(INSPECTOR_PACKAGE, 'utf8')) as { version?: string }).version;
    if (version !== INSPECTOR_VERSION) return `found ${String(version)}, need ${INSPECTOR_VERSION}`;
    return existsSync(inspector) ? undefined : `${inspector} is missing`;
  } catch {
    return `not installed in ${CACHE}`;
  }
}
const problem = inspectorProblem();
if (problem !== undefined && !REQUIRED) {
  process.stderr.write(
    `SKIP inspector.test.ts: MCP Inspector ${INSPECTOR_VERSION} ${problem}; run scripts/install-test-tools.sh to include it\n`,
  );
}

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

beforeAll(() => {
  if (problem !== undefined) {
    if (REQUIRED) throw new Error(`AGENTMUX_REQUIRE_TEST_TOOLS=1 but MCP Inspector ${INSPECTOR_VERSION} ${problem}`);
    return;
  }
  roots = makeTempRoots('insp');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterAll(async () => {
  if (roots === undefined) return;
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

describe.skipIf(problem !== undefined && !REQUIRED)('MCP Inspector CLI against agentmux host mcp', () => {
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
