// Identity resolution for `host mcp` (Settled 23): env, then ancestors, then flags, then the
// worktree override file; each source gives both ids or is reported.
import { describe, expect, it } from 'vitest';
import { noIdentityError, resolveIdentity, type IdentityInputs } from '../../../src/mcp/identity.js';
import type { OverrideLookup } from '../../../src/mcp/override-file.js';
import type { AncestorProcess } from '../../../src/mcp/proc-ancestors.js';

function inputs(overrides: Partial<IdentityInputs> = {}): IdentityInputs {
  return {
    env: {},
    flags: {},
    cwd: '/work/repo',
    ancestors: () => [],
    override: () => ({ kind: 'absent', detail: '/work/repo/.auxiliary/… does not exist' }),
    ...overrides,
  };
}

const ancestors =
  (...list: AncestorProcess[]) =>
  (): AncestorProcess[] =>
    list;

describe('resolveIdentity', () => {
  it('takes AGENTMUX_BUNDLE and AGENTMUX_SESSION from the environment first', () => {
    const result = resolveIdentity(
      inputs({
        env: { AGENTMUX_BUNDLE: 'team', AGENTMUX_SESSION: 'alice' },
        flags: { bundle: 'other', session: 'bob' },
        ancestors: () => {
          throw new Error('ancestors must not be read when the environment answers');
        },
      }),
    );
    expect(result.identity).toEqual({ bundle: 'team', session: 'alice', source: 'env', origin: 'environment' });
    expect(result.tried.map((t) => t.source)).toEqual(['env']);
  });

  it('uses the nearest ancestor that names an identity, with its roots', () => {
    const result = resolveIdentity(
      inputs({
        env: { AGENTMUX_SESSION: '' },
        flags: { bundle: 'flagged', session: 'bob' },
        ancestors: ancestors(
          { pid: 40, name: 'node' },
          { pid: 30, name: 'codex', env: { PATH: '/bin' } },
          {
            pid: 20,
            name: 'bash',
            env: {
              AGENTMUX_BUNDLE: 'team',
              AGENTMUX_SESSION: 'carol',
              AGENTMUX_CONFIG_DIR: '/cfg',
              AGENTMUX_STATE_DIR: '/state',
            },
          },
          { pid: 10, name: 'tmux', env: { AGENTMUX_BUNDLE: 'far', AGENTMUX_SESSION: 'away' } },
        ),
      }),
    );
    expect(result.identity).toEqual({
      bundle: 'team',
      session: 'carol',
      source: 'ancestor',
      origin: 'process 20 (bash)',
      configDir: '/cfg',
      stateDir: '/state',
    });
    expect(result.tried[0]).toEqual({
      source: 'env',
      detail: 'environment: neither AGENTMUX_BUNDLE nor AGENTMUX_SESSION',
    });
  });

  it('reports a half-set ancestor instead of looking past it, then falls back to the flags', () => {
    const result = resolveIdentity(
      inputs({
        flags: { bundle: 'team', session: 'bob' },
        ancestors: ancestors(
          { pid: 20, name: 'sh', env: { AGENTMUX_SESSION: 'carol' } },
          { pid: 10, env: { AGENTMUX_BUNDLE: 'team', AGENTMUX_SESSION: 'dave' } },
        ),
      }),
    );
    expect(result.identity).toMatchObject({ bundle: 'team', session: 'bob', source: 'flags' });
    expect(result.tried[1]).toEqual({
      source: 'ancestor',
      detail: 'process 20 (sh): AGENTMUX_SESSION=carol but no AGENTMUX_BUNDLE',
    });
  });

  it('stops at an ancestor that set the variables empty (e.g. `AGENTMUX_SESSION= codex` in a pane)', () => {
    const result = resolveIdentity(
      inputs({
        ancestors: ancestors(
          { pid: 20, name: 'codex', env: { AGENTMUX_BUNDLE: '', AGENTMUX_SESSION: '' } },
          { pid: 10, name: 'bash', env: { AGENTMUX_BUNDLE: 'team', AGENTMUX_SESSION: 'alice' } },
        ),
      }),
    );
    expect(result.identity).toBeUndefined();
    expect(result.tried[1]).toEqual({
      source: 'ancestor',
      detail: 'process 20 (codex): neither AGENTMUX_BUNDLE nor AGENTMUX_SESSION',
    });
  });

  it('rejects ids that break the id rules', () => {
    const result = resolveIdentity(
      inputs({
        env: { AGENTMUX_BUNDLE: 'team', AGENTMUX_SESSION: '9lives' },
        flags: { bundle: '../x', session: 'bob' },
      }),
    );
    expect(result.identity).toBeUndefined();
    expect(result.tried.map((t) => t.detail)).toEqual([
      'environment: AGENTMUX_SESSION=9lives is not a valid session id',
      'no ancestor process (of 0 readable) has AGENTMUX_BUNDLE and AGENTMUX_SESSION',
      'flags: --bundle=../x is not a valid bundle id',
      '/work/repo/.auxiliary/… does not exist',
    ]);
  });

  it('falls back to the override file, resolving config_root', () => {
    const seen: string[] = [];
    const override = (cwd: string): OverrideLookup => {
      seen.push(cwd);
      return { kind: 'found', file: '/w/mcp.toml', root: '/w', bundle: 'team', session: 'erin', configRoot: '/w/conf' };
    };
    const result = resolveIdentity(inputs({ cwd: '/w/sub', flags: { bundle: 'team' }, override }));
    expect(seen).toEqual(['/w/sub']);
    expect(result.identity).toEqual({
      bundle: 'team',
      session: 'erin',
      source: 'override',
      origin: '/w/mcp.toml',
      configDir: '/w/conf',
      worktree: '/w',
    });
    expect(result.tried[2]).toEqual({ source: 'flags', detail: 'flags: --bundle=team but no --as-session' });
  });

  it('reports an invalid override file and names every source in the error', () => {
    const result = resolveIdentity(
      inputs({ override: () => ({ kind: 'invalid', file: '/w/mcp.toml', problem: 'Unrecognized key: "sender"' }) }),
    );
    expect(result.identity).toBeUndefined();
    expect(result.tried.map((t) => t.source)).toEqual(['env', 'ancestor', 'flags', 'override']);
    const error = noIdentityError(result.tried);
    expect(error.code).toBe('validation_unknown_session');
    expect(error.message).toContain('environment: neither AGENTMUX_BUNDLE nor AGENTMUX_SESSION');
    expect(error.message).toContain('flags: neither --bundle nor --as-session');
    expect(error.message).toContain('/w/mcp.toml: Unrecognized key: "sender"');
    expect(error.hint).toContain('agentmux up');
    expect(error.details).toEqual({ tried: result.tried });
  });
});
