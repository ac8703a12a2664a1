import { describe, expect, it } from 'vitest';

import { resolveRoots } from '../../../src/config/roots.js';
import { AgentmuxError } from '../../../src/core/errors.js';

describe('resolveRoots', () => {
  const env = {
    HOME: '/home/u',
    XDG_CONFIG_HOME: '/xdg/config',
    XDG_STATE_HOME: '/xdg/state',
    AGENTMUX_CONFIG_DIR: '/env/config',
    AGENTMUX_STATE_DIR: '/env/state',
  };

  it('prefers the flags', () => {
    expect(resolveRoots({ configDirectory: '/flag/c', stateDirectory: '/flag/s' }, env)).toEqual({
      configDir: '/flag/c',
      stateDir: '/flag/s',
    });
  });

  it('then the AGENTMUX_* variables', () => {
    expect(resolveRoots({}, env)).toEqual({ configDir: '/env/config', stateDir: '/env/state' });
  });

  it('then XDG directories plus agentmux', () => {
    const { AGENTMUX_CONFIG_DIR: _c, AGENTMUX_STATE_DIR: _s, ...xdg } = env;
    expect(resolveRoots({}, xdg)).toEqual({ configDir: '/xdg/config/agentmux', stateDir: '/xdg/state/agentmux' });
  });

  it('then HOME, ignoring empty and relative XDG values', () => {
    expect(resolveRoots({}, { HOME: '/home/u', XDG_CONFIG_HOME: '', XDG_STATE_HOME: 'relative' })).toEqual({
      configDir: '/home/u/.config/agentmux',
      stateDir: '/home/u/.local/state/agentmux',
    });
  });

  it('mixes sources per root', () => {
    expect(resolveRoots({ stateDirectory: '/flag/s' }, { HOME: '/h', AGENTMUX_CONFIG_DIR: '/env/c' })).toEqual({
      configDir: '/env/c',
      stateDir: '/flag/s',
    });
  });

  it('makes relative flags and variables absolute', () => {
    const roots = resolveRoots({ configDirectory: 'rel/config' }, { AGENTMUX_STATE_DIR: './state' });
    expect(roots.configDir).toBe(`${process.cwd()}/rel/config`);
    expect(roots.stateDir).toBe(`${process.cwd()}/state`);
  });

  it('fails without HOME and without any setting', () => {
    let caught: unknown;
    try {
      resolveRoots({ configDirectory: '/c' }, { HOME: '' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AgentmuxError);
    expect((caught as AgentmuxError).code).toBe('validation_invalid_arguments');
    expect((caught as AgentmuxError).message).toContain('state directory');
    expect((caught as AgentmuxError).hint).toContain('--state-directory');
  });
});
