// Builds the CLI into dist/ as one esbuild bundle with code splitting, so `agentmux send`
// loads only the CLI chunk while the relay, the TUI and the SDKs load on demand.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
rmSync(`${root}/dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts', client: 'src/client/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Native addons, the UI stack and the SDKs stay outside the bundle and load on demand;
  // yargs, zod and the small pure-JS libraries are bundled so the CLI starts fast.
  external: [
    'better-sqlite3',
    'fs-ext',
    'node-pty',
    'ink',
    'react',
    'react/*',
    '@modelcontextprotocol/sdk',
    '@modelcontextprotocol/sdk/*',
    '@agentclientprotocol/sdk',
    'pino',
  ],
  define: { 'process.env.AGENTMUX_BUILD_VERSION': JSON.stringify(version) },
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
