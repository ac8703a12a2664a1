import { describe, expect, it } from 'vitest';
import { resolveRelayProgram } from '../../../src/runtime/spawn-relay.js';

describe('resolveRelayProgram', () => {
  it('prefers AGENTMUX_COMMAND, trimmed', () => {
    const env = { AGENTMUX_COMMAND: '  /opt/am/bin/agentmux \n', AGENTMUX_RELAY_COMMAND: '/other' };
    expect(resolveRelayProgram('/entry', env)).toBe('/opt/am/bin/agentmux');
  });

  it('falls back to AGENTMUX_RELAY_COMMAND when AGENTMUX_COMMAND is blank', () => {
    expect(resolveRelayProgram('/entry', { AGENTMUX_COMMAND: '   ', AGENTMUX_RELAY_COMMAND: ' /relay ' })).toBe(
      '/relay',
    );
  });

  it('falls back to the entry point when neither is set or both are empty', () => {
    expect(resolveRelayProgram('/entry', {})).toBe('/entry');
    expect(resolveRelayProgram('/entry', { AGENTMUX_COMMAND: '', AGENTMUX_RELAY_COMMAND: '' })).toBe('/entry');
  });

  it('reads process.env by default', () => {
    const saved = process.env.AGENTMUX_COMMAND;
    process.env.AGENTMUX_COMMAND = '/from-process-env';
    try {
      expect(resolveRelayProgram('/entry')).toBe('/from-process-env');
    } finally {
      if (saved === undefined) delete process.env.AGENTMUX_COMMAND;
      else process.env.AGENTMUX_COMMAND = saved;
    }
  });
});
