import { describe, expect, it } from 'vitest';

import { codersFileSchema } from '../../../src/config/schemas/coders.js';
import { parseConfigText } from '../../../src/config/toml-file.js';

const FILE = '/cfg/coders.toml';
const parse = (text: string) => parseConfigText(FILE, text, codersFileSchema);

describe('coders.toml schema', () => {
  it('parses a good file with defaults, trimmed strings and compiled regexes', () => {
    const parsed = parse(`format-version = 1

[[coders]]
id = ' shell '
description = '   '
[coders.tmux]
initial-command = '  bash -l  '
busy-regex = '(?i)working'
environment = [{ name = 'A', value = ' 1 ' }]

[[coders]]
id = 'agent'
description = 'an ACP agent'
[coders.acp]
command = 'my-agent --acp'
permission-default = 'allow'
`);
    expect(parsed.problems).toEqual([]);
    const coders = parsed.value!;
    expect([...coders.keys()]).toEqual(['shell', 'agent']);
    const shell = coders.get('shell')!;
    expect(shell).toMatchObject({
      kind: 'tmux',
      id: 'shell',
      description: undefined,
      initialCommand: 'bash -l',
      promptInspectLines: 3,
      quietWindowMs: 750,
      submitDelayMs: 150,
      submitRetries: 2,
      paste: true,
      attemptTimeoutMs: 10000,
      hookStaleMs: 30000,
      detector: 'generic',
      environment: [{ name: 'A', value: '1' }],
    });
    expect(shell.kind === 'tmux' && shell.busyRegex?.test('WORKING')).toBe(true);
    expect(coders.get('agent')).toEqual({
      kind: 'acp',
      id: 'agent',
      description: 'an ACP agent',
      channel: 'stdio',
      command: 'my-agent --acp',
      environment: [],
      turnTimeoutMs: 600000,
      permissionTimeoutMs: 300000,
      permissionDefault: 'allow',
    });
  });

  it('accepts a file with no coders', () => {
    expect(parse('format-version = 1\n').value).toEqual(new Map());
  });

  it('reports an unknown key with its line and a kebab-case hint', () => {
    const parsed = parse(`format-version = 1
[[coders]]
id = 'a'
[coders.tmux]
initial-command = 'a'
busy_regex = 'x'
`);
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems).toEqual([
      {
        file: FILE,
        key: 'coders[0].tmux.busy_regex',
        line: 6,
        severity: 'error',
        message: 'unknown key "busy_regex" (did you mean "busy-regex"?)',
        hint: 'keys are kebab-case: did you mean "busy-regex"?',
      },
    ]);
  });

  it('requires format-version = 1', () => {
    expect(parse("[[coders]]\nid = 'a'\n[coders.acp]\ncommand = 'x'\n").problems).toMatchObject([
      { key: 'format-version', message: expect.stringContaining('is required') },
    ]);
    expect(parse('format-version = 2\n').problems).toMatchObject([
      { key: 'format-version', line: 1, message: 'must be 1, got 2' },
    ]);
  });

  it('reports bad ids, duplicates, bad types and bad regexes together', () => {
    const parsed = parse(`format-version = 1
[[coders]]
id = 'a b'
[coders.acp]
command = 'x'

[[coders]]
id = 'dup'
[coders.tmux]
initial-command = 'x'
prompt-inspect-lines = 'three'
prompt-regex = 'a(?i)b'

[[coders]]
id = 'dup'
[coders.acp]
command = 'y'
`);
    const found = parsed.problems.map(({ key, line, message }) => ({ key, line, message }));
    expect(found).toEqual([
      { key: 'coders[0].id', line: 3, message: '"a b" is not a valid id' },
      { key: 'coders[1].tmux.prompt-inspect-lines', line: 11, message: 'expected number, got "three"' },
      { key: 'coders[1].tmux.prompt-regex', line: 12, message: expect.stringContaining('inline flag group') },
      { key: 'coders[2].id', line: 15, message: 'duplicate id "dup" (first used by entry 2)' },
    ]);
    expect(parsed.problems[2]?.hint).toContain('leading');
  });

  it('needs exactly one of tmux and acp', () => {
    const neither = parse("format-version = 1\n[[coders]]\nid = 'a'\n");
    expect(neither.problems).toMatchObject([{ key: 'coders[0]', line: 2, message: expect.stringContaining('needs') }]);
    const both = parse(
      "format-version = 1\n[[coders]]\nid = 'a'\n[coders.tmux]\ninitial-command = 'x'\n[coders.acp]\ncommand = 'y'\n",
    );
    expect(both.problems).toMatchObject([{ key: 'coders[0]', message: expect.stringContaining('both') }]);
  });

  it('allows only {coder-session-id} in resume-command', () => {
    const parsed = parse(`format-version = 1
[[coders]]
id = 'a'
[coders.tmux]
initial-command = 'a'
resume-command = 'a --resume {coder-session-id} --in {directory}'
`);
    expect(parsed.problems).toMatchObject([
      { key: 'coders[0].tmux.resume-command', line: 6, message: 'unknown placeholder {directory}' },
    ]);
  });

  it('rejects bad enums, ranges and empty commands', () => {
    const parsed = parse(`format-version = 1
[[coders]]
id = 'a'
[coders.tmux]
initial-command = '   '
detector = 'copilot'
prompt-inspect-lines = 0
environment = [{ name = '1X', value = 'v' }, { name = 'Y', value = 'v' }, { name = 'Y', value = 'w' }]
`);
    expect(parsed.problems.map((problem) => problem.key)).toEqual([
      'coders[0].tmux.initial-command',
      'coders[0].tmux.detector',
      'coders[0].tmux.prompt-inspect-lines',
      'coders[0].tmux.environment[0].name',
      'coders[0].tmux.environment[2].name',
    ]);
    expect(parsed.problems[1]).toMatchObject({ line: 6, hint: 'use one of: "generic", "claude", "codex", "gemini"' });
  });

  it('keeps TOML syntax positions', () => {
    const parsed = parse('format-version = 1\n[[coders]]\nid = \n');
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ line: 3, severity: 'error' });
    expect(parsed.problems[0]?.message).toMatch(/^invalid TOML: .*\(line 3, column \d+\)$/);
    expect(parsed.problems[0]?.key).toBeUndefined();
  });
});
