// What a hello credential proves (Credentials), how the operator key is kept, how agents get
// their credential (pane and worker environments) and how a socket peer is found (ss parsing).
import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AcpCoder, Member, TmuxCoder } from '../../../src/config/index.js';
import { Credentials } from '../../../src/relay/credentials.js';
import { operatorKeyPath, readOperatorKey } from '../../../src/runtime/operator-key.js';
import { peerInodeFromSs } from '../../../src/runtime/peer-process.js';
import { workerEnvironment } from '../../../src/transports/acp/worker-env.js';
import { paneEnvironment, paneLaunch } from '../../../src/transports/tmux/session-launch.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
beforeEach(() => {
  roots = makeTempRoots('cred');
});
afterEach(() => roots.cleanup());

describe('Credentials', () => {
  it('creates a 0600 operator key once and reads the same key afterwards', () => {
    const first = Credentials.open(roots.root);
    const path = operatorKeyPath(roots.root);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const key = readOperatorKey(roots.root);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const second = Credentials.open(roots.root);
    expect(second.forAgent('bob')).toBe(first.forAgent('bob'));
    expect(first.prove(key, undefined)).toEqual({ kind: 'operator' });
  });

  it('proves an agent only as its own session; anything else proves nothing', () => {
    const credentials = Credentials.open(roots.root);
    const bob = credentials.forAgent('bob');
    expect(bob).not.toBe(credentials.forAgent('alice'));
    expect(credentials.prove(bob, 'bob')).toEqual({ kind: 'agent', session: 'bob' });
    expect(credentials.prove(bob, 'alice')).toEqual({ kind: 'none' });
    expect(credentials.prove(bob, 'user')).toEqual({ kind: 'none' });
    expect(credentials.prove(bob, undefined)).toEqual({ kind: 'none' });
    expect(credentials.prove(undefined, 'bob')).toEqual({ kind: 'none' });
    expect(credentials.prove('x', 'bob')).toEqual({ kind: 'none' });
  });

  it('refuses a key file others can read, or one that is a symbolic link', () => {
    const path = operatorKeyPath(roots.root);
    writeFileSync(path, `${'a'.repeat(64)}\n`, { mode: 0o600 });
    chmodSync(path, 0o644);
    expect(() => Credentials.open(roots.root)).toThrow(expect.objectContaining({ code: 'runtime_insecure_path' }));
    const other = join(roots.root, 'other');
    const linked = makeTempRoots('cred-link');
    try {
      writeFileSync(other, `${'b'.repeat(64)}\n`, { mode: 0o600 });
      symlinkSync(other, operatorKeyPath(linked.root));
      expect(() => Credentials.open(linked.root)).toThrow(expect.objectContaining({ code: 'runtime_insecure_path' }));
    } finally {
      linked.cleanup();
    }
  });
});

describe('agent credentials in pane and worker environments', () => {
  it('puts AGENTMUX_TOKEN in the 0600 pane file, never on the tmux command line', () => {
    const member = {
      id: 'bob',
      coder: { environment: [{ name: 'AGENTMUX_TOKEN', value: 'spoofed' }] },
    } as unknown as Member & { coder: TmuxCoder };
    const env = paneEnvironment({
      request: { env: { AGENTMUX_TOKEN: 'from-caller', HOME: '/h' } },
      member,
      bundle: 'team',
      roots: { configDir: '/c', stateDir: '/s' },
      entryPoint: '/bin/am',
      instance: 'I1',
      credential: 'bob-credential',
    });
    expect(env.AGENTMUX_TOKEN).toBe('bob-credential');
    const launch = paneLaunch(roots.root, 'bob', 'true', env);
    expect(launch.env.AGENTMUX_TOKEN).toBeUndefined();
    expect(launch.env.AGENTMUX_SESSION).toBe('bob');
    expect(launch.argv.join(' ')).not.toContain('bob-credential');
    const file = launch.argv[4] ?? '';
    expect(readFileSync(file, 'utf8')).toContain("export AGENTMUX_TOKEN='bob-credential'");
  });

  it('gives an ACP worker its own credential, never the relay’s or the caller’s', () => {
    const env = workerEnvironment({
      relayEnv: { AGENTMUX_TOKEN: 'relay-started-in-a-pane' },
      requestEnv: { AGENTMUX_TOKEN: 'caller' },
      coder: { environment: [] } as unknown as AcpCoder,
      identity: {
        bundle: 'team',
        session: 'carol',
        roots: { configDir: '/c', stateDir: '/s' },
        entryPoint: '/bin/am',
        instance: 'I2',
        credential: 'carol-credential',
      },
    });
    expect(env.AGENTMUX_TOKEN).toBe('carol-credential');
  });
});

describe('peerInodeFromSs', () => {
  const output = [
    'u_str ESTAB 0 0 /tmp/state dir/bundles/team/relay.sock 181810 * 181811',
    'u_str ESTAB 0 0 * 181811 * 181810',
    'u_str LISTEN 0 511 /tmp/x.sock 17 * 0',
  ].join('\n');

  it('finds the other end of our socket, even under a path with spaces', () => {
    expect(peerInodeFromSs(output, 181810)).toBe(181811);
    expect(peerInodeFromSs(output, 181811)).toBe(181810);
  });

  it('says nothing for a socket it does not list or a listener', () => {
    expect(peerInodeFromSs(output, 999)).toBeUndefined();
    expect(peerInodeFromSs(output, 17)).toBeUndefined();
  });
});
