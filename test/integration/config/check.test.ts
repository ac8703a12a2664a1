import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkConfig } from '../../../src/config/check.js';
import type { ConfigProblem } from '../../../src/config/problems.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { CODERS, POLICIES, TUI, writeFiles } from './write-files.js';

const summary = (problems: ConfigProblem[]) =>
  problems.map(({ file, key, line, severity, message }) => ({
    file: file.split('/config/')[1],
    key,
    line,
    severity,
    message,
  }));

describe('checkConfig', () => {
  let roots: TempRoots;
  let dir: string;
  let bin: string;
  beforeEach(() => {
    roots = makeTempRoots('config-check');
    dir = roots.configDir;
    bin = join(roots.root, 'bin');
    mkdirSync(bin);
    for (const program of ['bash', 'sh', 'node']) {
      writeFileSync(join(bin, program), '#!/bin/sh\n');
      chmodSync(join(bin, program), 0o755);
    }
  });
  afterEach(() => roots.cleanup());

  const check = () => checkConfig(dir, { env: { PATH: bin } });

  it('finds nothing wrong with a good configuration', () => {
    writeFiles(dir, {
      'coders.toml': CODERS,
      'policies.toml': POLICIES,
      'tui.toml': TUI,
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = '/x'\ncoder = 'shell'\n",
    });
    expect(check()).toEqual([]);
  });

  it('collects problems from every file at once, with file, key and line', () => {
    writeFiles(dir, {
      'coders.toml': `format-version = 1
[[coders]]
id = 'shell'
[coders.tmux]
initial-command = 'bash'
resume-command = 'bash {session}'
busy-regex = '(?i)ok(?x)'
colour = 'blue'
`,
      'policies.toml': `format-version = 1
[[policies]]
id = 'p'
[policies.controls]
send = 'everyone'
`,
      'tui.toml': `[[sessions]]
id = 'user'
policy = 'ghost'
`,
      'bundles/team.toml': `format-version = 1
[[sessions]]
id = 'user'
directory = '/x'
coder = 'shell'

[[sessions]]
id = 'b'
directory = '/x'
coder = 'nope'
policy = 'p'

[[sessions]]
id = 'b'
directory = '/x'
`,
      'bundles/empty.toml': '',
      'bundles/bad id.toml': 'format-version = 1\n',
    });
    expect(summary(check())).toEqual([
      {
        file: 'coders.toml',
        key: 'coders[0].tmux.resume-command',
        line: 6,
        severity: 'error',
        message: 'unknown placeholder {session}',
      },
      {
        file: 'coders.toml',
        key: 'coders[0].tmux.busy-regex',
        line: 7,
        severity: 'error',
        message: expect.stringContaining('inline flag group (?x)'),
      },
      {
        file: 'coders.toml',
        key: 'coders[0].tmux.colour',
        line: 8,
        severity: 'error',
        message: 'unknown key "colour"',
      },
      {
        file: 'policies.toml',
        key: 'policies[0].controls.send',
        line: 5,
        severity: 'error',
        message: expect.stringContaining('got "everyone"'),
      },
      { file: 'tui.toml', key: 'sessions[0].policy', line: 3, severity: 'error', message: 'unknown policy "ghost"' },
      {
        file: 'bundles/bad id.toml',
        key: undefined,
        line: undefined,
        severity: 'error',
        message: expect.stringContaining('not a valid bundle id'),
      },
      {
        file: 'bundles/bad id.toml',
        key: undefined,
        line: undefined,
        severity: 'warning',
        message: 'the bundle has no sessions',
      },
      {
        file: 'bundles/empty.toml',
        key: 'format-version',
        line: undefined,
        severity: 'error',
        message: expect.stringContaining('is required'),
      },
      // The bundle does not validate, yet its unknown coder is reported in the same pass.
      {
        file: 'bundles/team.toml',
        key: 'sessions[1].coder',
        line: 10,
        severity: 'error',
        message: 'unknown coder "nope"',
      },
      {
        file: 'bundles/team.toml',
        key: 'sessions[2].id',
        line: 14,
        severity: 'error',
        message: 'duplicate id "b" (first used by entry 2)',
      },
    ]);
  });

  it('checks references once a bundle parses, using the ids of broken files', () => {
    writeFiles(dir, {
      'coders.toml': "format-version = 1\n[[coders]]\nid = 'shell'\n[coders.tmux]\ninitial-command = 'bash'\nbad = 1\n",
      'policies.toml': POLICIES,
      'tui.toml': TUI,
      'bundles/team.toml': `format-version = 1
[[sessions]]
id = 'user'
directory = '/x'
coder = 'shell'

[[sessions]]
id = 'b'
directory = '/x'
coder = 'nope'
policy = 'p'
`,
    });
    expect(summary(check())).toEqual([
      { file: 'coders.toml', key: 'coders[0].tmux.bad', line: 6, severity: 'error', message: 'unknown key "bad"' },
      {
        file: 'bundles/team.toml',
        key: 'sessions[0].id',
        line: 3,
        severity: 'error',
        message: expect.stringContaining('"user" is also an operator session'),
      },
      {
        file: 'bundles/team.toml',
        key: 'sessions[1].coder',
        line: 10,
        severity: 'error',
        message: 'unknown coder "nope"',
      },
      {
        file: 'bundles/team.toml',
        key: 'sessions[1].policy',
        line: 11,
        severity: 'error',
        message: 'unknown policy "p"',
      },
    ]);
  });

  it('names the key a typo most likely meant and still checks the coder of an invalid bundle (issue 22.13)', () => {
    writeFiles(dir, {
      'coders.toml': CODERS,
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndiretory = '/x'\ncoder = 'shel'\n",
    });
    const problems = check().filter((problem) => problem.severity === 'error');
    expect(summary(problems)).toEqual([
      {
        file: 'bundles/team.toml',
        key: 'sessions[0].diretory',
        line: 4,
        severity: 'error',
        message: 'unknown key "diretory" (did you mean "directory"?)',
      },
      {
        file: 'bundles/team.toml',
        key: 'sessions[0].coder',
        line: 5,
        severity: 'error',
        message: 'unknown coder "shel"',
      },
    ]);
    expect(problems[0]?.hint).toBe('rename it to "directory"');
    expect(problems[1]?.hint).toContain('did you mean "shell"?');
  });

  it('warns about programs missing from PATH, and only those it can check', () => {
    writeFiles(dir, {
      'coders.toml': `format-version = 1
[[coders]]
id = 'here'
[coders.tmux]
initial-command = 'FOO=1 bash -l'
[[coders]]
id = 'gone'
[coders.tmux]
initial-command = "'not-installed-xyz' --flag"
[[coders]]
id = 'absolute'
[coders.acp]
command = '/definitely/not/here acp'
[[coders]]
id = 'dynamic'
[coders.acp]
command = '$AGENT_BIN acp'
[[coders]]
id = 'relative'
[coders.tmux]
initial-command = './run.sh'
`,
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = '/x'\n",
    });
    expect(summary(check())).toEqual([
      {
        file: 'coders.toml',
        key: 'coders[1].tmux.initial-command',
        line: 9,
        severity: 'warning',
        message: 'coder "gone" runs "not-installed-xyz", which is not on PATH',
      },
      {
        file: 'coders.toml',
        key: 'coders[2].acp.command',
        line: 13,
        severity: 'warning',
        message: 'coder "absolute" runs "/definitely/not/here", which is not on PATH',
      },
    ]);
  });

  it('warns about a missing coders file, no bundles and a default bundle without a file', () => {
    writeFiles(dir, { 'tui.toml': "default-bundle = 'main'\n" });
    const problems = check();
    expect(problems.every((problem) => problem.severity === 'warning')).toBe(true);
    expect(summary(problems).map(({ file, key, line }) => ({ file, key, line }))).toEqual([
      { file: 'coders.toml', key: undefined, line: undefined },
      { file: 'tui.toml', key: 'default-bundle', line: 1 },
      { file: 'bundles', key: undefined, line: undefined },
    ]);
  });

  it('reports a bundles path that is not a directory instead of throwing', () => {
    writeFiles(dir, { bundles: 'not a directory' });
    expect(summary(check())).toContainEqual({
      file: 'bundles',
      key: undefined,
      line: undefined,
      severity: 'error',
      message: expect.stringContaining('cannot read'),
    });
  });

  it('reports TOML syntax errors with their line and goes on to the other files', () => {
    writeFiles(dir, {
      'coders.toml': 'format-version = 1\n[[coders]\n',
      'bundles/team.toml': "format-version = 1\n[[sessions]]\nid = 'a'\ndirectory = '/x'\ncoder = 'whatever'\n",
    });
    const problems = summary(check());
    expect(problems).toEqual([
      { file: 'coders.toml', key: undefined, line: 2, severity: 'error', message: expect.stringContaining('line 2') },
    ]);
  });
});
