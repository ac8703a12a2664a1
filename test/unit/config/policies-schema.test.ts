import { describe, expect, it } from 'vitest';

import {
  AGENT_DEFAULT_CONTROLS,
  OPERATOR_DEFAULT_CONTROLS,
  resolveMemberControls,
} from '../../../src/config/policy.js';
import { policiesFileSchema } from '../../../src/config/schemas/policies.js';
import { parseConfigText } from '../../../src/config/toml-file.js';
import type { PoliciesConfig } from '../../../src/config/types.js';
import { AgentmuxError } from '../../../src/core/errors.js';

const FILE = '/cfg/policies.toml';
const parse = (text: string) => parseConfigText(FILE, text, policiesFileSchema);

const GOOD = `format-version = 1
default = 'team'

[[policies]]
id = 'team'
description = 'agents that may type into each other'
[policies.controls]
raww = 'all:home'
history = 'all:home'
[policies.controls.do]
deploy = 'self'

[[policies]]
id = 'locked'
[policies.controls]
find = 'none'
list = 'self'
look = 'none'
send = 'self'
raww = 'none'
lifecycle = 'none'
grant = 'none'
history = 'none'
`;

describe('policies.toml schema', () => {
  it('parses presets, keeping what each declares', () => {
    const parsed = parse(GOOD);
    expect(parsed.problems).toEqual([]);
    const policies = parsed.value!;
    expect(policies.defaultId).toBe('team');
    const team = policies.presets.get('team')!;
    expect(team.declared).toEqual({ raww: 'all:home', history: 'all:home' });
    expect(team.controls).toEqual({ ...AGENT_DEFAULT_CONTROLS, raww: 'all:home', history: 'all:home' });
    expect(team.actions).toEqual(new Map([['deploy', 'self']]));
    expect(policies.presets.get('locked')?.controls.list).toBe('self');
  });

  it('reports a bad scope, an unknown control and a duplicate id with lines', () => {
    const parsed = parse(`format-version = 1
[[policies]]
id = 'p'
[policies.controls]
send = 'everyone'
teleport = 'self'
[[policies]]
id = 'p'
`);
    expect(parsed.problems.map(({ key, line, message }) => ({ key, line, message }))).toEqual([
      {
        key: 'policies[0].controls.send',
        line: 5,
        message: 'must be "none" or "self" or "all:home" or "all:all", got "everyone"',
      },
      { key: 'policies[0].controls.teleport', line: 6, message: 'unknown key "teleport"' },
      { key: 'policies[1].id', line: 8, message: 'duplicate id "p" (first used by entry 1)' },
    ]);
    expect(parsed.problems[0]?.hint).toBe('use one of: "none", "self", "all:home", "all:all"');
  });

  it('rejects a default that names no preset', () => {
    expect(parse("format-version = 1\ndefault = 'nope'\n").problems).toMatchObject([
      { key: 'default', line: 2, message: 'names no preset: "nope"' },
    ]);
  });

  it('requires format-version', () => {
    expect(parse("[[policies]]\nid = 'p'\n").problems).toMatchObject([{ key: 'format-version' }]);
  });
});

describe('resolveMemberControls', () => {
  const policies: PoliciesConfig = parse(GOOD).value!;
  const withoutDefault: PoliciesConfig = { presets: policies.presets };

  it('uses the session policy first', () => {
    expect(resolveMemberControls('agent', 'locked', policies).send).toBe('self');
  });

  it('then the file default, filling the rest from the role built-in', () => {
    expect(resolveMemberControls('agent', undefined, policies)).toEqual({
      ...AGENT_DEFAULT_CONTROLS,
      raww: 'all:home',
      history: 'all:home',
    });
    expect(resolveMemberControls('operator', undefined, policies)).toEqual(OPERATOR_DEFAULT_CONTROLS);
  });

  it('then the built-in of the role', () => {
    expect(resolveMemberControls('agent', undefined, withoutDefault)).toEqual(AGENT_DEFAULT_CONTROLS);
    expect(resolveMemberControls('operator', undefined, { presets: new Map() })).toEqual(OPERATOR_DEFAULT_CONTROLS);
  });

  it('matches the documented built-ins', () => {
    expect(AGENT_DEFAULT_CONTROLS).toEqual({
      find: 'self',
      list: 'all:home',
      look: 'all:home',
      send: 'all:home',
      raww: 'none',
      lifecycle: 'none',
      grant: 'none',
      history: 'self',
    });
    expect(new Set(Object.values(OPERATOR_DEFAULT_CONTROLS))).toEqual(new Set(['all:home']));
  });

  it('throws validation_unknown_policy for an unknown id', () => {
    expect(() => resolveMemberControls('agent', 'ghost', policies)).toThrow(AgentmuxError);
    try {
      resolveMemberControls('agent', 'ghost', policies);
    } catch (error) {
      expect((error as AgentmuxError).code).toBe('validation_unknown_policy');
      expect((error as AgentmuxError).details).toEqual({ policy: 'ghost', known: ['team', 'locked'] });
    }
  });
});
