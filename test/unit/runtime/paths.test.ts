import { describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { MAX_SOCKET_PATH_BYTES, bundlePaths } from '../../../src/runtime/paths.js';

function thrown(fn: () => unknown): AgentmuxError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error('expected an AgentmuxError');
}

describe('bundlePaths', () => {
  it('places every runtime file in <state>/bundles/<bundle>', () => {
    const paths = bundlePaths('/state', 'party-alpha');
    expect(paths).toEqual({
      bundle: 'party-alpha',
      stateDir: '/state',
      dir: '/state/bundles/party-alpha',
      socket: '/state/bundles/party-alpha/relay.sock',
      lock: '/state/bundles/party-alpha/relay.lock',
      spawnLock: '/state/bundles/party-alpha/relay.spawn.lock',
      journal: '/state/bundles/party-alpha/journal.db',
      log: '/state/bundles/party-alpha/relay.log',
      status: '/state/bundles/party-alpha/status',
      statusJson: '/state/bundles/party-alpha/status.json',
      tmuxSocket: '/state/bundles/party-alpha/tmux.sock',
      tmuxConf: '/state/bundles/party-alpha/tmux.conf',
    });
  });

  it('makes a relative state directory absolute', () => {
    const paths = bundlePaths('rel/state', 'b');
    expect(paths.stateDir).toBe(`${process.cwd()}/rel/state`);
    expect(paths.socket).toBe(`${process.cwd()}/rel/state/bundles/b/relay.sock`);
  });

  it('accepts a socket path of exactly the maximum length', () => {
    const suffix = '/bundles/b/relay.sock';
    const stateDir = '/' + 'x'.repeat(MAX_SOCKET_PATH_BYTES - suffix.length - 1);
    expect(bundlePaths(stateDir, 'b').socket).toHaveLength(MAX_SOCKET_PATH_BYTES);
  });

  it('refuses a socket path over 100 bytes, naming path, bytes and max', () => {
    const suffix = '/bundles/b/relay.sock';
    const stateDir = '/' + 'x'.repeat(MAX_SOCKET_PATH_BYTES - suffix.length);
    const error = thrown(() => bundlePaths(stateDir, 'b'));
    expect(error.code).toBe('runtime_socket_path_too_long');
    expect(error.details).toEqual({ path: `${stateDir}${suffix}`, bytes: 101, max: 100 });
  });

  it('counts bytes, not characters', () => {
    // 30 three-byte characters: 30 characters but 90 bytes of path.
    const error = thrown(() => bundlePaths('/' + '€'.repeat(30), 'b'));
    expect(error.code).toBe('runtime_socket_path_too_long');
    expect(error.details?.bytes).toBe(1 + 90 + '/bundles/b/relay.sock'.length);
  });

  it('refuses an id that would escape the bundles directory', () => {
    expect(thrown(() => bundlePaths('/state', '../etc')).code).toBe('validation_unknown_bundle');
    expect(thrown(() => bundlePaths('/state', 'a/b')).code).toBe('validation_unknown_bundle');
    expect(thrown(() => bundlePaths('/state', '')).code).toBe('validation_unknown_bundle');
  });
});
