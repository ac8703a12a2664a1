// describeNativeAddonFailure against the errors Node itself raises for a broken addon.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toAgentmuxError } from '../../../src/core/errors.js';
import { describeNativeAddonFailure } from '../../../src/core/native-addon.js';

const root = mkdtempSync(join(tmpdir(), 'amx-addon-'));
const release = join(root, 'node_modules', '@scope', 'fake-addon', 'build', 'Release');
mkdirSync(release, { recursive: true });
writeFileSync(join(release, 'fake.node'), 'not an ELF file');
const require = createRequire(join(root, 'index.js'));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('describeNativeAddonFailure', () => {
  it('names the addon and its package directory when dlopen fails', () => {
    const error = thrown(() => require(join(release, 'fake.node')));
    const failure = describeNativeAddonFailure(error);
    expect(failure?.addon).toBe('@scope/fake-addon');
    expect(failure?.message).toContain(`could not be loaded by Node ${process.version}`);
    expect(failure?.details.package_dir).toBe(root);
    expect(failure?.hint).toContain(`cd ${root} && npm rebuild @scope/fake-addon`);
  });

  it('recognises a missing compiled binary', () => {
    const error = thrown(() => require(join(release, 'missing.node')));
    expect(describeNativeAddonFailure(error)?.message).toContain('has no compiled binary');
  });

  it('leaves every other error alone', () => {
    expect(describeNativeAddonFailure(new Error('ENOENT: no such file'))).toBeUndefined();
    expect(describeNativeAddonFailure('text')).toBeUndefined();
    expect(toAgentmuxError(new Error('boom')).code).toBe('internal_unexpected_failure');
  });

  it('becomes runtime_native_addon_failed through toAgentmuxError', () => {
    const error = toAgentmuxError(thrown(() => require(join(release, 'fake.node'))));
    expect(error.code).toBe('runtime_native_addon_failed');
    expect(error.details?.addon).toBe('@scope/fake-addon');
  });
});
