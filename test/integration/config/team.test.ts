import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AGENT_DEFAULT_CONTROLS, OPERATOR_DEFAULT_CONTROLS } from '../../../src/config/policy.js';
import { findMember, loadTeam } from '../../../src/config/team.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { CODERS, POLICIES, TUI, writeFiles } from './write-files.js';

const TEAM = `format-version = 1
groups = ['dev']

[[sessions]]
id = 'builder'
directory = '/srv/app'
coder = 'shell'
policy = 'boss'

[[sessions]]
id = 'reviewer'
directory = '/srv/app'
coder = 'acp'

[[sessions]]
id = 'bot'
description = 'an SDK client'
directory = '/srv/bot'
`;

function catchError(action: () => unknown): AgentmuxError {
  try {
    action();
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error('expected an AgentmuxError');
}

describe('loadTeam', () => {
  let roots: TempRoots;
  let dir: string;
  beforeEach(() => {
    roots = makeTempRoots('config-team');
    dir = roots.configDir;
    writeFiles(dir, { 'coders.toml': CODERS, 'policies.toml': POLICIES, 'tui.toml': TUI, 'bundles/team.toml': TEAM });
  });
  afterEach(() => roots.cleanup());

  it('resolves agents in file order, then operators, with transports and controls', () => {
    const team = loadTeam(dir, 'team');
    expect(team.configDir).toBe(dir);
    expect(team.bundle.groups).toEqual(['dev']);
    expect(team.members.map(({ id, role, transport }) => ({ id, role, transport }))).toEqual([
      { id: 'builder', role: 'agent', transport: 'tmux' },
      { id: 'reviewer', role: 'agent', transport: 'acp' },
      { id: 'bot', role: 'agent', transport: 'socket' },
      { id: 'user', role: 'operator', transport: 'socket' },
      { id: 'guest', role: 'operator', transport: 'socket' },
    ]);
    const builder = findMember(team, 'builder')!;
    expect(builder.coder?.id).toBe('shell');
    expect(builder.session?.directory).toBe('/srv/app');
    expect(builder.controls).toEqual({ ...AGENT_DEFAULT_CONTROLS, raww: 'all:home', lifecycle: 'all:home' });
    // No session policy: the file default `agents`, filled from the agent built-in.
    expect(findMember(team, 'reviewer')?.controls).toEqual(AGENT_DEFAULT_CONTROLS);
    expect(findMember(team, 'bot')).toMatchObject({ description: 'an SDK client', coder: undefined });
    // Operators without a policy also take the file default, filled from the operator built-in.
    expect(findMember(team, 'user')?.controls).toEqual(OPERATOR_DEFAULT_CONTROLS);
    expect(findMember(team, 'guest')?.controls).toEqual({ ...OPERATOR_DEFAULT_CONTROLS, send: 'none' });
    expect(findMember(team, 'nobody')).toBeUndefined();
  });

  it('works with only a bundle file (built-in policies, no operators)', () => {
    const solo = makeTempRoots('config-solo');
    try {
      writeFiles(solo.configDir, {
        'bundles/solo.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = '/x'\n",
      });
      const team = loadTeam(solo.configDir, 'solo');
      expect(team.members).toEqual([
        expect.objectContaining({ id: 'a', role: 'agent', transport: 'socket', controls: AGENT_DEFAULT_CONTROLS }),
      ]);
    } finally {
      solo.cleanup();
    }
  });

  it('refuses an id that is both an agent and an operator', () => {
    writeFiles(dir, { 'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'user'\ndirectory = '/x'\n" });
    const error = catchError(() => loadTeam(dir, 'team'));
    expect(error.code).toBe('validation_invalid_config');
    expect(error.details).toEqual({ file: join(dir, 'bundles', 'team.toml'), key: 'sessions[0].id', line: 3 });
    expect(error.message).toContain('also an operator');
  });

  it('refuses an unknown coder', () => {
    writeFiles(dir, {
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = '/x'\ncoder = 'cursor'\n",
    });
    const error = catchError(() => loadTeam(dir, 'team'));
    expect(error.code).toBe('validation_invalid_config');
    expect(error.message).toContain('unknown coder "cursor"');
    expect(error.details).toMatchObject({ key: 'sessions[0].coder', line: 5 });
    expect(error.hint).toContain('"shell"');
  });

  it('throws validation_unknown_policy for an unknown session or operator policy', () => {
    writeFiles(dir, {
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = '/x'\npolicy = 'root'\n",
    });
    expect(catchError(() => loadTeam(dir, 'team')).code).toBe('validation_unknown_policy');
    writeFiles(dir, {
      'bundles/team.toml': TEAM,
      'tui.toml': "[[sessions]]\nid = 'user'\npolicy = 'root'\n",
    });
    const error = catchError(() => loadTeam(dir, 'team'));
    expect(error.code).toBe('validation_unknown_policy');
    expect(error.details).toMatchObject({ file: join(dir, 'tui.toml'), key: 'sessions[0].policy', line: 3 });
  });

  it('refuses a coder-session-id for a tmux coder without resume-command', () => {
    writeFiles(dir, {
      'bundles/team.toml':
        "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = '/x'\ncoder = 'plain'\ncoder-session-id = 'c1'\n",
    });
    const error = catchError(() => loadTeam(dir, 'team'));
    expect(error.code).toBe('validation_invalid_config');
    expect(error.details).toMatchObject({ key: 'sessions[0].coder-session-id', line: 6 });
  });

  it('passes on errors of the files it reads', () => {
    writeFiles(dir, { 'coders.toml': 'format-version = 1\nbogus = true\n' });
    const error = catchError(() => loadTeam(dir, 'team'));
    expect(error.details).toEqual({ file: join(dir, 'coders.toml'), key: 'bogus', line: 2 });
    expect(catchError(() => loadTeam(dir, 'missing')).code).toBe('validation_unknown_bundle');
  });

  it('names a misspelt key and what it likely meant, and reports every problem in one pass (issue 22.13)', () => {
    writeFiles(dir, {
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndiretory = '/x'\ncoder = 'shel'\n",
    });
    const error = catchError(() => loadTeam(dir, 'team'));
    expect(error.code).toBe('validation_invalid_config');
    expect(error.message).toContain('unknown key "diretory" (did you mean "directory"?)');
    expect(error.message).toContain('unknown coder "shel"');
    expect(error.message).toContain('did you mean "shell"?');
    // The missing directory is the same mistake as the typo, not a second one.
    expect(error.message).not.toContain('is required');
    expect(error.details).toMatchObject({ key: 'sessions[0].diretory', line: 4 });
    expect((error.details?.problems as unknown[]).length).toBe(2);
  });

  it('reports a missing bundle as validation_unknown_bundle', () => {
    expect(catchError(() => loadTeam(dir, 'missing')).code).toBe('validation_unknown_bundle');
  });
});
