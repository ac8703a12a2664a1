import { describe, expect, it } from 'vitest';

import { bundleFileSchema, resolveSessionDirectory } from '../../../src/config/schemas/bundle.js';
import { parseConfigText } from '../../../src/config/toml-file.js';

const FILE = '/cfg/bundles/team.toml';
const parse = (text: string) =>
  parseConfigText(FILE, text, bundleFileSchema({ id: 'team', file: FILE, configDir: '/cfg', home: '/home/u' }));

describe('bundle schema', () => {
  it('parses sessions, resolving directories and collapsing duplicate groups', () => {
    const parsed = parse(`format-version = 1
description = ' the team '
autostart = true
groups = ['dev', 'dev', 'ops']

[[sessions]]
id = 'alice'
name = 'Alice'
directory = '~/src/app'
coder = 'claude'
coder-session-id = 'abc'
policy = 'default'

[[sessions]]
id = 'sdk'
directory = 'work/sdk'

[[sessions]]
id = 'root'
directory = '/srv/x/../y'
`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual({
      id: 'team',
      file: FILE,
      autostart: true,
      groups: ['dev', 'ops'],
      description: 'the team',
      sessions: [
        {
          id: 'alice',
          name: 'Alice',
          description: undefined,
          directory: '/home/u/src/app',
          coder: 'claude',
          coderSessionId: 'abc',
          policy: 'default',
        },
        expect.objectContaining({ id: 'sdk', directory: '/cfg/work/sdk', coder: undefined }),
        expect.objectContaining({ id: 'root', directory: '/srv/y' }),
      ],
    });
  });

  it('allows a bundle with no sessions', () => {
    expect(parse('format-version = 1\n').value).toMatchObject({ sessions: [], groups: [], autostart: false });
  });

  it('reports bad and duplicate session ids, unknown keys and missing keys with lines', () => {
    const parsed = parse(`format-version = 1

[[sessions]]
id = '1abc'
directory = '/x'

[[sessions]]
id = 'bob'
directory = '/x'
colour = 'red'

[[sessions]]
id = 'bob'

[[sessions]]
id = 'a-very-long-session-identifier-xx'
directory = '/x'
`);
    expect(parsed.problems.map(({ key, line, message }) => ({ key, line, message }))).toEqual([
      { key: 'sessions[0].id', line: 4, message: '"1abc" is not a valid session id' },
      { key: 'sessions[1].colour', line: 10, message: 'unknown key "colour"' },
      { key: 'sessions[2].directory', line: 12, message: 'is required' },
      { key: 'sessions[2].id', line: 13, message: 'duplicate id "bob" (first used by entry 2)' },
      { key: 'sessions[3].id', line: 16, message: '"a-very-long-session-identifier-xx" is not a valid session id' },
    ]);
    expect(parsed.problems[0]?.hint).toContain('start with a letter');
  });

  it('rejects duplicate names, bad groups, a resume id without coder and ~user', () => {
    const parsed = parse(`format-version = 1
groups = ['Dev']
[[sessions]]
id = 'a'
name = 'Same'
directory = '~bob/x'
coder-session-id = 'c1'
[[sessions]]
id = 'b'
name = 'Same'
directory = '/x'
`);
    expect(parsed.problems.map((problem) => problem.key)).toEqual([
      'groups[0]',
      'sessions[0].directory',
      'sessions[0].coder-session-id',
      'sessions[1].name',
    ]);
  });

  it('reads supervise and primer, and names an unknown or self-supervised session', () => {
    const good = parse(`format-version = 1
primer = 'merge nothing'
[[sessions]]
id = 'lead'
directory = '/x'
supervise = ['*', 'w1']
[[sessions]]
id = 'w1'
directory = '/x'
`);
    expect(good.problems).toEqual([]);
    expect(good.value?.primer).toBe('merge nothing');
    expect(good.value?.sessions[0]?.supervise).toEqual(['*', 'w1']);
    expect(good.value?.sessions[1]?.supervise).toBeUndefined();
    const bad = parse(`format-version = 1
[[sessions]]
id = 'lead'
directory = '/x'
supervise = ['lead', 'ghost']
`);
    expect(bad.problems.map(({ key, message }) => ({ key, message }))).toEqual([
      { key: 'sessions[0].supervise[0]', message: 'a session cannot supervise itself' },
      { key: 'sessions[0].supervise[1]', message: 'unknown session "ghost"' },
    ]);
  });

  it('requires format-version', () => {
    const problems = parse("[[sessions]]\nid = 'a'\ndirectory = '/x'\n").problems;
    expect(problems).toMatchObject([{ key: 'format-version', severity: 'error' }]);
    expect(problems[0]).not.toHaveProperty('line');
  });
});

describe('resolveSessionDirectory', () => {
  it('expands ~ and resolves relative paths against the config directory', () => {
    expect(resolveSessionDirectory('~', '/cfg', '/home/u')).toBe('/home/u');
    expect(resolveSessionDirectory('~/a/', '/cfg', '/home/u')).toBe('/home/u/a');
    expect(resolveSessionDirectory('a/b', '/cfg', '/home/u')).toBe('/cfg/a/b');
    expect(resolveSessionDirectory('/abs', '/cfg', '/home/u')).toBe('/abs');
  });
});

describe('bundle schema: worktrees', () => {
  it('gives sessions the bundle’s worktree and base unless they set their own', () => {
    const parsed = parse(`format-version = 1
worktree = true
base = 'main'
worktree-root = 'trees'
worktree-include = ['.env']

[[sessions]]
id = 'a'
directory = '/src/app'

[[sessions]]
id = 'b'
directory = '/src/app'
worktree = false

[[sessions]]
id = 'c'
directory = '/src/app'
base = 'develop'
`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.value?.worktreeRoot).toBe('/cfg/trees');
    expect(parsed.value?.worktreeInclude).toEqual(['.env']);
    expect(parsed.value?.sessions.map((s) => [s.id, s.worktree, s.base])).toEqual([
      ['a', true, 'main'],
      ['b', undefined, 'main'],
      ['c', true, 'develop'],
    ]);
  });

  it('rejects a worktree key of the wrong type', () => {
    const parsed = parse(`format-version = 1\n\n[[sessions]]\nid = 'a'\ndirectory = '/x'\nworktree = 'yes'\n`);
    expect(parsed.problems.map((p) => p.key)).toContain('sessions[0].worktree');
  });
});
