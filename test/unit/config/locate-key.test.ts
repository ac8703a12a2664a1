import { describe, expect, it } from 'vitest';

import { locateKeyLine } from '../../../src/config/locate-key.js';

const TEXT = `# comment
format-version = 1

[[coders]]
id = 'a'
[coders.tmux]
initial-command = 'a'
environment = [{ name = 'X', value = '1' }]

[[coders]]
id = "b"
[coders.acp]
command = '''
fake = 1
'''
"quoted key" = 2
dotted.key = 3

[[coders.acp.extra]]
n = 1
[[coders.acp.extra]]
n = 2
`;

describe('locateKeyLine', () => {
  it('finds keys inside the right element of an array of tables', () => {
    expect(locateKeyLine(TEXT, ['format-version'])).toBe(2);
    expect(locateKeyLine(TEXT, ['coders', 0, 'id'])).toBe(5);
    expect(locateKeyLine(TEXT, ['coders', 0, 'tmux', 'initial-command'])).toBe(7);
    expect(locateKeyLine(TEXT, ['coders', 1, 'id'])).toBe(11);
    expect(locateKeyLine(TEXT, ['coders', 1, 'acp', 'command'])).toBe(13);
  });

  it('falls back to the nearest parent key or table', () => {
    expect(locateKeyLine(TEXT, ['coders', 0, 'tmux', 'environment', 0, 'name'])).toBe(8);
    expect(locateKeyLine(TEXT, ['coders', 0, 'tmux', 'missing'])).toBe(6);
    expect(locateKeyLine(TEXT, ['coders', 1, 'missing'])).toBe(10);
    expect(locateKeyLine(TEXT, ['coders'])).toBe(4);
  });

  it('skips multi-line strings and reads quoted and dotted keys', () => {
    expect(locateKeyLine(TEXT, ['coders', 1, 'acp', 'fake'])).toBe(12);
    expect(locateKeyLine(TEXT, ['coders', 1, 'acp', 'quoted key'])).toBe(16);
    expect(locateKeyLine(TEXT, ['coders', 1, 'acp', 'dotted', 'key'])).toBe(17);
  });

  it('numbers nested arrays of tables', () => {
    expect(locateKeyLine(TEXT, ['coders', 1, 'acp', 'extra', 1, 'n'])).toBe(22);
  });

  it('has no line for a missing top-level key', () => {
    expect(locateKeyLine(TEXT, ['nothing-here'])).toBeUndefined();
    expect(locateKeyLine(TEXT, [])).toBeUndefined();
  });
});
