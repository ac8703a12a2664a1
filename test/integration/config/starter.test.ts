import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkConfig } from '../../../src/config/check.js';
import { listBundleIds, loadBundle, loadCoders, loadPolicies, loadTui } from '../../../src/config/load.js';
import { AGENT_DEFAULT_CONTROLS, OPERATOR_DEFAULT_CONTROLS } from '../../../src/config/policy.js';
import { ensureStarterFiles } from '../../../src/config/starter.js';
import { loadTeam } from '../../../src/config/team.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';

describe('ensureStarterFiles', () => {
  let roots: TempRoots;
  let dir: string;
  beforeEach(() => {
    roots = makeTempRoots('config-starter');
    dir = join(roots.root, 'fresh', 'agentmux');
  });
  afterEach(() => roots.cleanup());

  it('writes the four starter files into new 0700 directories', () => {
    const written = ensureStarterFiles(dir);
    expect(written).toEqual([
      join(dir, 'coders.toml'),
      join(dir, 'policies.toml'),
      join(dir, 'tui.toml'),
      join(dir, 'bundles', 'example.toml'),
    ]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(roots.root, 'fresh')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'bundles')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'bundles'))).toEqual(['example.toml']);
  });

  it('never overwrites and writes only what is missing', () => {
    ensureStarterFiles(dir);
    writeFileSync(join(dir, 'tui.toml'), '# mine\n');
    expect(ensureStarterFiles(dir)).toEqual([]);
    expect(readFileSync(join(dir, 'tui.toml'), 'utf8')).toBe('# mine\n');
    writeFileSync(join(dir, 'policies.toml'), '');
    rmSync(join(dir, 'coders.toml'));
    expect(ensureStarterFiles(dir)).toEqual([join(dir, 'coders.toml')]);
  });

  it('writes files that load cleanly and pass check without errors', () => {
    ensureStarterFiles(dir);
    const coders = loadCoders(dir);
    expect([...coders.keys()]).toEqual(['claude', 'codex', 'gemini', 'opencode']);
    expect(coders.get('claude')).toMatchObject({
      kind: 'tmux',
      detector: 'claude',
      hooks: 'claude',
      submitDelayMs: 150,
      environment: [{ name: 'DISABLE_AUTOUPDATER', value: '1' }],
    });
    expect(coders.get('codex')).toMatchObject({ initialCommand: 'codex --no-daemon', clearKeys: ['C-u'] });
    expect(coders.get('opencode')).toMatchObject({ kind: 'acp', command: 'opencode acp' });

    const policies = loadPolicies(dir);
    expect(policies.defaultId).toBe('default');
    expect(policies.presets.get('default')?.declared).toEqual(AGENT_DEFAULT_CONTROLS);
    expect(policies.presets.get('operator')?.declared).toEqual(OPERATOR_DEFAULT_CONTROLS);

    expect(loadTui(dir)).toEqual({
      defaultBundle: 'example',
      defaultSession: 'user',
      detachKey: 'C-q',
      operators: [{ id: 'user', name: 'Operator', policy: 'operator' }],
    });
    expect(listBundleIds(dir)).toEqual(['example']);
    expect(loadBundle(dir, 'example').sessions).toEqual([]);
    expect(loadTeam(dir, 'example').members).toEqual([
      expect.objectContaining({ id: 'user', role: 'operator', controls: OPERATOR_DEFAULT_CONTROLS }),
    ]);

    const problems = checkConfig(dir, { env: { PATH: '' } });
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(problems.map(({ file, message }) => ({ file, message }))).toEqual([
      { file: join(dir, 'coders.toml'), message: 'coder "claude" runs "claude", which is not on PATH' },
      { file: join(dir, 'coders.toml'), message: 'coder "codex" runs "codex", which is not on PATH' },
      { file: join(dir, 'coders.toml'), message: 'coder "gemini" runs "gemini", which is not on PATH' },
      { file: join(dir, 'coders.toml'), message: 'coder "opencode" runs "opencode", which is not on PATH' },
      { file: join(dir, 'bundles', 'example.toml'), message: 'the bundle has no sessions' },
    ]);
  });

  it('keeps the commented example session in the bundle file', () => {
    ensureStarterFiles(dir);
    const text = readFileSync(join(dir, 'bundles', 'example.toml'), 'utf8');
    expect(text).toContain('# [[sessions]]');
    expect(text).toContain('format-version = 1');
  });
});
