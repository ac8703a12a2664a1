import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/paths.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { bundleRuntime } from './helpers/runtime-bundle.js';

// Bootstraps against a live relay, then reports whether fs-ext was loaded before and after
// taking a lock; CommonJS packages required from ESM land in the require cache.
const CLIENT_SCRIPT = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const fsExtLoaded = () => Object.keys(require.cache).some((path) => path.includes('/fs-ext/'));
const runtime = await import(process.env.RUNTIME_BUNDLE_URL);
const [stateDir] = process.argv.slice(2);
const report = await runtime.bootstrapRelay(runtime.bundlePaths(stateDir, 'party-alpha'), { autoStart: true }, () => {
  throw new Error('must not spawn');
});
const afterBootstrap = fsExtLoaded();
const locks = await runtime.loadLocks();
locks.tryLockExclusive(stateDir + '/probe.lock')?.release();
process.stdout.write(JSON.stringify({ report, afterBootstrap, afterLocking: fsExtLoaded() }));
`;

describe('lazy lock loading', () => {
  let roots: TempRoots;
  let server: Server | undefined;

  beforeEach(() => {
    roots = makeTempRoots('lazy');
  });

  afterEach(async () => {
    if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    roots.cleanup();
  });

  it('a client whose relay is already up never loads fs-ext', async () => {
    const paths = bundlePaths(roots.stateDir, 'party-alpha');
    ensureRuntimeDir(paths);
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server!.listen(paths.socket, resolve));
    const entry = await bundleRuntime(roots.root, { split: true });
    const script = join(roots.root, 'client.mjs');
    writeFileSync(script, CLIENT_SCRIPT);
    const { stdout } = await promisify(execFile)(process.execPath, [script, roots.stateDir], {
      env: { ...process.env, RUNTIME_BUNDLE_URL: pathToFileURL(entry).href },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      report: { spawnedRelay: false },
      afterBootstrap: false,
      afterLocking: true,
    });
  });
});
