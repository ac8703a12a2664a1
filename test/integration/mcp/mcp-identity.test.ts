// Where the real `host mcp` finds its identity (a parent process, the flags, the worktree
// override file), that stdout carries only protocol, and that it exits when its client goes.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { procAncestors } from '../../../src/mcp/proc-ancestors.js';
import { AGENTMUX_BIN, cliEnv, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { dataOf, errorCodeOf, startMcp, textOf, type McpPeer } from './mcp-harness.js';

const BUNDLE = 'team';
let roots: TempRoots;
const peers: McpPeer[] = [];

beforeEach(() => {
  roots = makeTempRoots('mcpid');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

async function track(peer: Promise<McpPeer>): Promise<McpPeer> {
  const started = await peer;
  peers.push(started);
  return started;
}

interface Who {
  session: string;
  identity: { source: string; origin: string };
  config_dir: string;
}

describe('host mcp identity', () => {
  it('reads the identity (and roots) of the nearest ancestor when its own environment lacks them', async () => {
    // The shell keeps AGENTMUX_* (like a pane running Codex); the server it starts gets none,
    // like an MCP server launched with a whitelisted environment.
    const script = `env -u AGENTMUX_BUNDLE -u AGENTMUX_SESSION -u AGENTMUX_CONFIG_DIR -u AGENTMUX_STATE_DIR "$0" host mcp; exit $?`;
    const peer = await track(
      startMcp(roots, {
        bundle: BUNDLE,
        session: 'bob',
        command: { command: '/bin/sh', args: ['-c', script, AGENTMUX_BIN] },
      }),
    );
    const who = await peer.call('whoami');
    expect(who.isError, textOf(who)).toBeFalsy();
    expect(dataOf<Who>(who)).toMatchObject({
      session: 'bob',
      identity: { source: 'ancestor', origin: expect.stringMatching(/^process \d+ \(sh\)$/) },
      config_dir: roots.configDir,
    });
  });

  it('takes --bundle/--as-session when nothing else names a session', async () => {
    const peer = await track(
      startMcp(roots, { args: ['--bundle', BUNDLE, '--as-session', 'alice'], shieldAncestors: true }),
    );
    expect(dataOf<Who>(await peer.call('whoami'))).toMatchObject({ session: 'alice', identity: { source: 'flags' } });
  });

  it("falls back to the worktree's overrides/mcp.toml, seen from a subdirectory", async () => {
    const worktree = join(roots.root, 'repo');
    const overrides = join(worktree, '.auxiliary/configuration/agentmux/overrides');
    mkdirSync(join(worktree, '.git'), { recursive: true });
    mkdirSync(join(worktree, 'src', 'deep'), { recursive: true });
    mkdirSync(overrides, { recursive: true });
    writeFileSync(
      join(overrides, 'mcp.toml'),
      `bundle_name = "${BUNDLE}"\nsession_name = "bob"\nconfig_root = "../config"\n`,
    );
    // config_root only counts in a worktree the user trusts (test/integration/mcp/mcp-trust.test.ts).
    const trusted = await runCli(roots, ['trust', worktree]);
    expect(trusted.code, trusted.stderr).toBe(0);
    const peer = await track(
      startMcp(roots, {
        cwd: join(worktree, 'src', 'deep'),
        env: { AGENTMUX_CONFIG_DIR: '/nonexistent-config' },
        shieldAncestors: true,
      }),
    );
    const who = dataOf<Who>(await peer.call('whoami'));
    expect(who).toMatchObject({ session: 'bob', identity: { source: 'override' }, config_dir: roots.configDir });
  });

  it('answers every tool with validation_unknown_session when the override file is invalid', async () => {
    const worktree = join(roots.root, 'repo');
    const overrides = join(worktree, '.auxiliary/configuration/agentmux/overrides');
    mkdirSync(join(worktree, '.git'), { recursive: true });
    mkdirSync(overrides, { recursive: true });
    writeFileSync(join(overrides, 'mcp.toml'), 'bundle_name = "team"\nsender = "alice"\n');
    const peer = await track(startMcp(roots, { cwd: worktree, args: ['--bundle', BUNDLE], shieldAncestors: true }));
    const result = await peer.call('send', { to: 'bob', body: 'x' });
    expect(errorCodeOf(result)).toBe('validation_unknown_session');
    expect(textOf(result)).toContain('flags: --bundle=team but no --as-session');
    expect(textOf(result)).toContain('mcp.toml: Unrecognized key: "sender"');
  });
});

describe('host mcp process', () => {
  it('writes only JSON-RPC to stdout and exits promptly when stdin closes', async () => {
    const child = spawn(AGENTMUX_BIN, ['host', 'mcp'], {
      env: cliEnv(roots, { AGENTMUX_BUNDLE: BUNDLE, AGENTMUX_SESSION: 'alice' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const frames = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list', arguments: {} } },
    ];
    child.stdin.write(frames.map((f) => JSON.stringify(f)).join('\n') + '\n');
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('"id":2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.stdin.end();
    const code = await exited;
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((line) => line.length > 0);
    expect(lines.length).toBe(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(stderr).toContain('agentmux mcp: session alice of bundle team');
  });

  it('walks the real /proc: this process is among the ancestors of its child', () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 5'], { env: { ...process.env, AGENTMUX_PROC_PROBE: 'yes' } });
    try {
      const chain = [...procAncestors(child.pid)];
      expect(chain[0]?.pid).toBe(child.pid);
      expect(chain[0]?.env?.AGENTMUX_PROC_PROBE).toBe('yes');
      expect(chain[1]?.pid).toBe(process.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
