import { describe, expect, it } from 'vitest';

import { tuiFileSchema } from '../../../src/config/schemas/tui.js';
import { parseConfigText } from '../../../src/config/toml-file.js';

const FILE = '/cfg/tui.toml';
const parse = (text: string) => parseConfigText(FILE, text, tuiFileSchema);

describe('tui.toml schema', () => {
  it('parses operators and defaults, format-version optional', () => {
    const parsed = parse(`default-bundle = 'team'
default-session = 'user'

[[sessions]]
id = 'user'
name = ' Operator '
policy = 'operator'

[[sessions]]
id = 'lead'
`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual({
      defaultBundle: 'team',
      defaultSession: 'user',
      detachKey: 'C-q',
      operators: [
        { id: 'user', name: 'Operator', policy: 'operator' },
        { id: 'lead', name: undefined, policy: undefined },
      ],
    });
  });

  it('accepts an empty file and format-version = 1, rejects other versions', () => {
    expect(parse('').value).toEqual({ detachKey: 'C-q', operators: [] });
    expect(parse('format-version = 1\n').problems).toEqual([]);
    expect(parse('format-version = 3\n').problems).toMatchObject([{ key: 'format-version', message: 'must be 1' }]);
  });

  it('reports bad and duplicate ids, bad keys and a dangling default-session', () => {
    const parsed = parse(`default-session = 'ghost'
default-bundle = '../x'
detach-key = 'C-q; kill-server'
[[sessions]]
id = 'op one'
[[sessions]]
id = 'lead'
[[sessions]]
id = 'lead'
role = 'admin'
`);
    expect(parsed.problems.map(({ key, line }) => ({ key, line }))).toEqual([
      { key: 'default-session', line: 1 },
      { key: 'default-bundle', line: 2 },
      { key: 'detach-key', line: 3 },
      { key: 'sessions[0].id', line: 5 },
      { key: 'sessions[2].id', line: 9 },
      { key: 'sessions[2].role', line: 10 },
    ]);
  });

  it('requires default-session to name an operator', () => {
    const parsed = parse("default-session = 'ghost'\n[[sessions]]\nid = 'user'\n");
    expect(parsed.problems).toMatchObject([
      { key: 'default-session', line: 1, message: 'names no operator session: "ghost"' },
    ]);
  });

  it('accepts tmux key names for detach-key', () => {
    for (const key of ['C-q', 'M-x', 'F12', 'C-]', 'C-M-a']) {
      expect(parse(`detach-key = '${key}'\n`).value?.detachKey).toBe(key);
    }
  });
});
