// Writes examples/config/coders.toml from the coder presets (src/config/presets.ts), the one
// source of the starter file too. test/unit/config/examples.test.ts fails when they drift.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the project so the bundle's bare imports resolve from node_modules.
const temp = mkdtempSync(join(root, '.gen-'));
try {
  const outfile = join(temp, 'config.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/config/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  const { CODER_PRESETS, renderCodersToml } = await import(pathToFileURL(outfile).href);
  writeFileSync(join(root, 'examples/config/coders.toml'), renderCodersToml(CODER_PRESETS));
  console.log('wrote examples/config/coders.toml');
} finally {
  rmSync(temp, { recursive: true, force: true });
}
