// `agentmux hooks install|remove` through the built CLI: files, output, exit codes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, runCli } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
let codexHome: string;
let project: string;

beforeEach(() => {
  roots = makeTempRoots('hooks-cli');
  codexHome = join(roots.root, 'codex-home');
  project = join(roots.root, 'proj');
  mkdirSync(project);
});
afterEach(() => roots.cleanup());

const hooks = (args: string[]) => runCli(roots, ['hooks', ...args], { env: { CODEX_HOME: codexHome } });

describe('agentmux hooks', () => {
  it('installs, reports, and removes Claude hooks in --dir', async () => {
    const installed = await hooks(['install', '--client', 'claude', '--dir', project]);
    expect(installed.code, installed.stderr).toBe(0);
    const path = join(project, '.claude', 'settings.local.json');
    expect(installed.stdout).toContain(`claude hooks installed in ${path}`);
    const settings = JSON.parse(readFileSync(path, 'utf8'));
    // The built CLI's own entry point is the fallback when the agent has no AGENTMUX_COMMAND.
    expect(settings.hooks.Stop[0].hooks[0].command).toContain(`\${AGENTMUX_COMMAND:-${AGENTMUX_BIN}}`);
    const again = await hooks(['install', '--client', 'claude', '--dir', project, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ client: 'claude', path, action: 'unchanged' });
    const removed = await hooks(['remove', '--client', 'claude', '--dir', project]);
    expect(removed.stdout).toContain(`claude hooks removed from ${path}`);
  });

  it('--print shows the snippet and writes nothing', async () => {
    const printed = await hooks(['install', '--client', 'gemini', '--dir', project, '--print']);
    expect(printed.code).toBe(0);
    const [header, ...json] = printed.stdout.trimEnd().split('\n');
    expect(header).toBe(`# merge this into ${join(project, '.gemini', 'settings.json')}`);
    expect(JSON.parse(json.join('\n')).hooksConfig).toEqual({ enabled: true });
    const removed = await hooks(['remove', '--client', 'gemini', '--dir', project]);
    expect(removed.stdout).toContain('gemini hooks were not installed');
  });

  it('refuses to replace a foreign Codex notify (exit 1, snippet in the hint) and leaves the file alone', async () => {
    mkdirSync(codexHome);
    const original = 'notify = ["python3", "/home/u/notify.py"]\n';
    writeFileSync(join(codexHome, 'config.toml'), original);
    const refused = await hooks(['install', '--client', 'codex']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('validation_hooks_conflict');
    expect(refused.stderr).toMatch(/notify = \["sh", "-c", .*# agentmux-hook/);
    expect(readFileSync(join(codexHome, 'config.toml'), 'utf8')).toBe(original);
  });

  it('rejects an unknown client as a usage error', async () => {
    const result = await hooks(['install', '--client', 'cursor']);
    expect(result.code).toBe(2);
  });
});
