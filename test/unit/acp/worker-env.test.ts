// An ACP agent's environment: relay, then `up`, then coder, then the agentmux identity.
import { describe, expect, it } from 'vitest';
import type { AcpCoder } from '../../../src/config/index.js';
import { workerEnvironment } from '../../../src/transports/acp/worker-env.js';

describe('workerEnvironment', () => {
  it('layers the sources and always sets the identity', () => {
    const coder = {
      environment: [
        { name: 'MODEL', value: 'coder' },
        { name: 'AGENTMUX_SESSION', value: 'spoofed' },
      ],
    } as AcpCoder;
    const env = workerEnvironment({
      relayEnv: { PATH: '/relay', HOME: '/h', MODEL: 'relay', TMUX: 'x', AGENTMUX_BUNDLE: 'old', 'BAD-NAME': 'x' },
      requestEnv: { PATH: '/caller', TMUX_PANE: '%1' },
      coder,
      identity: {
        bundle: 'crew',
        session: 'bob',
        roots: { configDir: '/c', stateDir: '/s' },
        entryPoint: '/bin/am',
        instance: 'I1',
      },
    });
    expect(env).toEqual({
      PATH: '/caller',
      HOME: '/h',
      MODEL: 'coder',
      AGENTMUX_COMMAND: '/bin/am',
      AGENTMUX_BUNDLE: 'crew',
      AGENTMUX_SESSION: 'bob',
      AGENTMUX_STATE_DIR: '/s',
      AGENTMUX_CONFIG_DIR: '/c',
      AGENTMUX_INSTANCE: 'I1',
    });
  });
});
