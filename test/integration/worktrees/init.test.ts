// `agentmux init` with fake agent CLIs on PATH (tiny scripts named claude and codex), with none,
// re-run (idempotent), after a user's edit (kept unless --force) and as a dry run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
let repo: TestRepo;
let bin: string;
let codexHome: string;

beforeEach(() => {
  roots = makeTempRoots('init');
  repo = makeRepo(join(roots.root, 'my-app'));
  bin = join(roots.root, 'bin');
  codexHome = join(roots.root, 'codex-home');
  mkdirSync(bin);
});
afterEach(() => roots.cleanup());

function fakeCli(name: string): void {
  writeFileSync(join(bin, name), '#!/bin/sh\necho fake\n', { mode: 0o755 });
}

// PATH holds only the fake CLIs plus what git and node need (never a real agent CLI).
function init(args: string[] = []) {
  const path = [bin, '/usr/bin', '/bin'].join(':');
  return runCli(roots, ['init', '--dir', repo.path, ...args], {
    env: { PATH: path, CODEX_HOME: codexHome, AGENTMUX_ENTRY: '/opt/agentmux/bin/agentmux' },
  });
}

const bundlePath = (): string => join(roots.configDir, 'bundles', 'my-app.toml');

describe('agentmux init', () => {
  // Each test runs the CLI several times; 120 s is a hang guard for a loaded machine.
  it('writes a bundle named after the repository with one session per CLI found, hooks and MCP config', async () => {
    fakeCli('claude');
    fakeCli('codex');
    const result = await init(['--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ bundle: 'my-app', detected: ['claude', 'codex'], worktree: true });
    expect(out.sessions).toEqual([
      { id: 'claude', coder: 'claude' },
      { id: 'codex', coder: 'codex' },
    ]);
    expect(out.next).toEqual(['agentmux up', 'agentmux']);

    const check = await runCli(roots, ['check', '--json']);
    expect(check.code).toBe(0);
    const text = readFileSync(bundlePath(), 'utf8');
    expect(text).toContain('worktree = true');
    expect(text).toContain(`directory = '${repo.path}'`);
    expect(readFileSync(join(roots.configDir, 'tui.toml'), 'utf8')).toContain("default-bundle = 'my-app'");

    const claudeSettings = JSON.parse(readFileSync(join(repo.path, '.claude', 'settings.local.json'), 'utf8'));
    expect(Object.keys(claudeSettings.hooks)).toContain('Stop');
    expect(claudeSettings.enabledMcpjsonServers).toEqual(['agentmux']);
    const mcp = JSON.parse(readFileSync(join(repo.path, '.mcp.json'), 'utf8'));
    expect(mcp.mcpServers.agentmux).toEqual({ command: '/opt/agentmux/bin/agentmux', args: ['host', 'mcp'] });
    const codexConfig = readFileSync(join(codexHome, 'config.toml'), 'utf8');
    expect(codexConfig).toContain('notify = ');
    expect(codexConfig).toContain('[mcp_servers.agentmux]');

    const human = await init();
    expect(human.stdout).toContain('bundle my-app for');
    expect(human.stdout).toMatch(/unchanged\s+bundle/);
    expect(human.stdout).toContain('next:\n  agentmux up\n  agentmux');
  }, 120_000);

  it('is idempotent: a second run changes no file', async () => {
    fakeCli('claude');
    expect((await init()).code).toBe(0);
    const files = [bundlePath(), join(repo.path, '.claude', 'settings.local.json'), join(repo.path, '.mcp.json')];
    const before = files.map((file) => readFileSync(file, 'utf8'));
    const again = JSON.parse((await init(['--json'])).stdout);
    expect(again.files.map((f: { action: string }) => f.action).every((a: string) => a === 'unchanged')).toBe(true);
    expect(files.map((file) => readFileSync(file, 'utf8'))).toEqual(before);
  }, 120_000);

  it('refreshes its own bundle when a new CLI appears, but keeps a bundle the user edited unless --force', async () => {
    fakeCli('claude');
    await init();
    fakeCli('codex');
    const refreshed = JSON.parse((await init(['--json'])).stdout);
    expect(refreshed.files.find((f: { what: string }) => f.what === 'bundle').action).toBe('updated');
    expect(readFileSync(bundlePath(), 'utf8')).toContain("coder = 'codex'");

    const edited = `${readFileSync(bundlePath(), 'utf8')}\n# my note\n`;
    writeFileSync(bundlePath(), edited);
    fakeCli('gemini');
    const kept = JSON.parse((await init(['--json'])).stdout);
    expect(kept.files.find((f: { what: string }) => f.what === 'bundle')).toMatchObject({ action: 'kept' });
    expect(readFileSync(bundlePath(), 'utf8')).toBe(edited);

    const forced = JSON.parse((await init(['--json', '--force'])).stdout);
    expect(forced.files.find((f: { what: string }) => f.what === 'bundle').action).toBe('updated');
    expect(readFileSync(bundlePath(), 'utf8')).toContain("coder = 'gemini'");
  }, 120_000);

  it('writes nothing with --dry-run', async () => {
    fakeCli('claude');
    const result = await init(['--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: nothing written');
    expect(result.stdout).toContain('would write');
    expect(existsSync(bundlePath())).toBe(false);
    expect(existsSync(join(repo.path, '.claude'))).toBe(false);
    expect(existsSync(join(repo.path, '.mcp.json'))).toBe(false);
  }, 120_000);

  it('without any agent CLI says so and offers the offline scripted team', async () => {
    const result = await init();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no agent CLI found on PATH (looked for claude, codex, gemini, opencode)');
    expect(result.stdout).toContain('agentmux init --agents scripted');
    expect(result.stdout).toContain('agentmux demo');
    expect(existsSync(bundlePath())).toBe(false);

    const scripted = await init(['--agents', 'scripted', '--count', '2', '--json']);
    expect(scripted.code).toBe(0);
    expect(JSON.parse(scripted.stdout).sessions.map((s: { id: string }) => s.id)).toEqual(['scripted-1', 'scripted-2']);
    expect(readFileSync(join(roots.configDir, 'coders.toml'), 'utf8')).toContain("id = 'scripted'");
    expect((await runCli(roots, ['check'])).code).toBe(0);
  }, 120_000);

  it('refuses an agent it does not know, naming the ones it does', async () => {
    const result = await init(['--agents', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown agent nope');
  }, 120_000);
});
