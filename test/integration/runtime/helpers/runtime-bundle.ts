// Builds src/runtime into one ESM file that child node processes can import, so tests run
// OUR bootstrap and lock code in other processes (no TypeScript loader exists for children).
import { existsSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The fake relay program (see test/fixtures/fake-relay.mjs). */
export const FAKE_RELAY = join(REPO_ROOT, 'test/fixtures/fake-relay.mjs');

/**
 * Bundles src/runtime/index.ts into `<dir>/runtime.mjs` (or, with `split`, into chunks under
 * `<dir>/split/` so dynamic imports stay lazy); packages stay external and resolve through a
 * node_modules link in `dir`. Returns the entry file.
 */
export async function bundleRuntime(dir: string, options: { split?: boolean } = {}): Promise<string> {
  const split = options.split === true;
  const outfile = split ? join(dir, 'split', 'index.mjs') : join(dir, 'runtime.mjs');
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['src/runtime/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    ...(split ? { outdir: dirname(outfile), splitting: true, outExtension: { '.js': '.mjs' } } : { outfile }),
    logLevel: 'warning',
  });
  const link = join(dir, 'node_modules');
  if (!existsSync(link)) symlinkSync(join(REPO_ROOT, 'node_modules'), link);
  return outfile;
}
