import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listBundleIds, loadBundle, loadCoders, loadPolicies, loadTui } from '../../../src/config/load.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { CODERS, POLICIES, TUI, writeFiles } from './write-files.js';

function catchError(action: () => unknown): AgentmuxError {
  try {
    action();
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error('expected an AgentmuxError');
}

describe('config loaders', () => {
  let roots: TempRoots;
  let dir: string;
  beforeEach(() => {
    roots = makeTempRoots('config-load');
    dir = roots.configDir;
  });
  afterEach(() => roots.cleanup());

  it('treat missing coders, policies and tui files as empty', () => {
    expect(loadCoders(dir)).toEqual(new Map());
    expect(loadPolicies(dir)).toEqual({ presets: new Map() });
    expect(loadTui(dir)).toEqual({ detachKey: 'C-q', operators: [] });
    expect(listBundleIds(dir)).toEqual([]);
  });

  it('load the files that exist', () => {
    writeFiles(dir, { 'coders.toml': CODERS, 'policies.toml': POLICIES, 'tui.toml': TUI });
    expect([...loadCoders(dir).keys()]).toEqual(['shell', 'plain', 'acp']);
    expect(loadPolicies(dir).defaultId).toBe('agents');
    expect(loadTui(dir).operators.map((operator) => operator.id)).toEqual(['user', 'guest']);
  });

  it('list bundle ids sorted, skipping non-TOML files, directories and invalid stems', () => {
    writeFiles(dir, {
      'bundles/zeta.toml': 'format-version = 1\n',
      'bundles/alpha.toml': 'format-version = 1\n',
      'bundles/Beta.1.toml': 'format-version = 1\n',
      'bundles/notes.txt': '',
      'bundles/bad name.toml': 'format-version = 1\n',
      'bundles/.hidden.toml': 'format-version = 1\n',
    });
    mkdirSync(join(dir, 'bundles', 'dir.toml'));
    expect(listBundleIds(dir)).toEqual(['Beta.1', 'alpha', 'zeta']);
  });

  it('load a bundle and resolve relative directories against the config directory', () => {
    writeFiles(dir, {
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = 'work'\ncoder = 'shell'\n",
    });
    const bundle = loadBundle(dir, 'team');
    expect(bundle.file).toBe(join(dir, 'bundles', 'team.toml'));
    expect(bundle.sessions[0]?.directory).toBe(join(dir, 'work'));
  });

  it('throw validation_unknown_bundle with the path for a missing bundle', () => {
    const error = catchError(() => loadBundle(dir, 'ghost'));
    expect(error.code).toBe('validation_unknown_bundle');
    expect(error.details).toMatchObject({ bundle: 'ghost', file: join(dir, 'bundles', 'ghost.toml') });
  });

  it('refuse bundle ids that are not ids (no path tricks)', () => {
    writeFiles(dir, { 'secret.toml': 'format-version = 1\n' });
    const error = catchError(() => loadBundle(dir, '../secret'));
    expect(error.code).toBe('validation_unknown_bundle');
  });

  it('throw validation_invalid_config naming file, key and line', () => {
    const file = join(dir, 'coders.toml');
    writeFiles(dir, {
      'coders.toml':
        "format-version = 1\n[[coders]]\nid = 'x'\n[coders.tmux]\ninitial-command = 'x'\nbusy-regex = '(?x)a'\n",
    });
    const error = catchError(() => loadCoders(dir));
    expect(error.code).toBe('validation_invalid_config');
    expect(error.message).toBe(
      `${file}: coders[0].tmux.busy-regex: invalid regex /(?x)a/: inline flag group (?x) is not supported: a leading group may hold only i, m and s, each once`,
    );
    expect(error.details).toEqual({ file, key: 'coders[0].tmux.busy-regex', line: 6 });
    expect(error.hint).toContain('JavaScript regex');
  });

  it('keep the TOML syntax position of a broken file', () => {
    const file = join(dir, 'policies.toml');
    writeFiles(dir, { 'policies.toml': "format-version = 1\n[[policies]\nid = 'x'\n" });
    const error = catchError(() => loadPolicies(dir));
    expect(error.code).toBe('validation_invalid_config');
    expect(error.details).toEqual({ file, key: undefined, line: 2 });
    expect(error.message).toMatch(new RegExp(`^${file}: invalid TOML: .*line 2, column \\d+`));
  });

  it('report unreadable files as config errors', () => {
    mkdirSync(join(dir, 'tui.toml'));
    const error = catchError(() => loadTui(dir));
    expect(error.code).toBe('validation_invalid_config');
    expect(error.message).toContain('cannot read');
  });
});
