// Builds the CLI into dist/ as one esbuild bundle with code splitting, so `agentmux send`
// loads only the CLI chunk while the relay, the TUI and the SDKs load on demand.
// The new build is swapped in file by file (chunks are content-hashed), so a relay or test
// still running from the previous build keeps finding its chunks.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiTokenizeSameStyles } from './ansi-tokenize-same-styles.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const staging = join(root, `dist.tmp-${process.pid}`);
const dist = join(root, 'dist');
rmSync(staging, { recursive: true, force: true });

// zod's classic entry re-exports every locale (~370 KB); agentmux speaks English only, so
// the locale index is replaced by English alone. Saves ~20 ms on every CLI start.
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`)
        ? { path: args.path, namespace: 'zod-locales' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(root, 'node_modules/zod/v4/locales/en.js'))};`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

// yoga-layout (ink's layout engine) loads its WebAssembly through `fetch` of a data: URL when
// `fetch` exists, and the first use of node's `fetch` loads undici: ~200 ms before the
// dashboard's first frame (bench/tui-first-frame.mjs). Without `fetch` in its scope it decodes
// the same bytes itself, so its two `typeof fetch` checks are made to say there is none.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /yoga-layout\/dist\/binaries\/yoga-wasm-base64-esm\.js$/ }, (args) => {
      const check = '"function"!=typeof fetch';
      const source = readFileSync(args.path, 'utf8');
      const found = source.split(check).length - 1;
      if (found !== 2) throw new Error(`yoga-layout changed: expected 2 \`${check}\`, found ${found}`);
      return { contents: source.replaceAll(check, 'true'), loader: 'js' };
    });
  },
};

// What every bundle shares: node 20, one staging directory, linked source maps, the version.
const shared = {
  absWorkingDir: root,
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
};
const versionDefine = { 'process.env.AGENTMUX_BUILD_VERSION': JSON.stringify(version) };
// React's production builds: the development ones are twice the code to load and check
// every render; agentmux never runs React's dev tooling from dist/.
const productionDefine = { ...versionDefine, 'process.env.NODE_ENV': JSON.stringify('production') };
// jsonc-parser's `main` is a UMD build whose internal require() calls esbuild cannot follow
// in an ESM bundle ("Dynamic require of ./impl/format"); its ESM build bundles cleanly.
const jsoncAlias = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };

await build({
  ...shared,
  plugins: [englishOnlyZod, yogaWithoutFetch, ansiTokenizeSameStyles],
  entryPoints: { cli: 'src/cli/entry.ts', client: 'src/client/index.ts' },
  splitting: true,
  format: 'esm',
  // Native addons and the SDKs stay outside the bundle and load on demand; yargs, zod, the
  // small pure-JS libraries and the UI stack are bundled. ink and react load only for the
  // dashboard, in their own chunks: bundled they cost ~1/3 of the CPU of resolving and
  // evaluating ink's ~100 files from node_modules (bench/tui-first-frame.mjs). ink's devtools
  // (only with DEV=true) keep importing `ws` and `react-devtools-core` from node_modules.
  external: [
    'better-sqlite3',
    'fs-ext',
    'node-pty',
    'ws',
    'react-devtools-core',
    '@modelcontextprotocol/sdk',
    '@modelcontextprotocol/sdk/*',
    // The multi-host bridge's NATS client (CommonJS): loaded by the relay only when a bundle has [[hosts]].
    '@nats-io/*',
    '@agentclientprotocol/sdk',
  ],
  alias: jsoncAlias,
  define: productionDefine,
  // ink's CommonJS dependencies (signal-exit, stack-utils) require() node built-ins, which an
  // ESM bundle can only do through a real `require`.
  banner: {
    js: "import { createRequire as __agentmuxRequire } from 'node:module';\nconst require = __agentmuxRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
});

// `agentmux hook` runs before every model call of Claude Code and Gemini: bin/agentmux
// requires this single self-contained file for it (no chunks to resolve, nothing but the
// report). CommonJS, because starting node's ES module loader alone costs the hook ~15 ms of
// CPU (bench/hook-startup.mjs).
await build({
  ...shared,
  entryPoints: { hook: 'src/cli/hook-entry.ts' },
  outExtension: { '.js': '.cjs' },
  // The hook passes its own validator; the zod one (and so zod) must not be bundled in.
  plugins: [
    {
      name: 'hook-without-zod',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /\/zod-validator\.js$/ }, () => ({
          path: 'zod-validator',
          namespace: 'no-zod',
        }));
        pluginBuild.onLoad({ filter: /.*/, namespace: 'no-zod' }, () => ({
          contents: "throw new Error('the hook bundle has no zod validator');",
          loader: 'js',
        }));
      },
    },
  ],
  format: 'cjs',
  define: versionDefine,
});

// `agentmux send` runs on every hand-off between agents: bin/agentmux loads this single file
// for it (one module instead of ~20 chunks). It also starts the relay on first use (the
// flock addon loads only then), so what it imports lazily to host a relay or to read the
// configuration (the config schemas, the relay itself) and the zod validator it never uses
// are left out: a stub that throws an error marked `fullCliOnly`, which hands the command to
// the full CLI (src/cli/send-entry.ts).
await build({
  ...shared,
  entryPoints: { send: 'src/cli/send-entry.ts' },
  // The flock addon, required by the lock module only when this send starts a relay.
  external: ['fs-ext'],
  plugins: [
    {
      name: 'send-without-relay-start',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /(^|\/)(load|host|zod-validator)\.js$/ }, (args) =>
          args.kind === 'dynamic-import' ? { path: args.path, namespace: 'full-cli-only' } : undefined,
        );
        pluginBuild.onLoad({ filter: /.*/, namespace: 'full-cli-only' }, () => ({
          contents:
            "const unavailable = () => { throw Object.assign(new Error('only the full CLI does this'), { code: 'relay_unavailable', fullCliOnly: true }); };\n" +
            'export { unavailable as loadBundle, unavailable as unknownBundleError, unavailable as runRelayHost, ' +
            'unavailable as zodValidator };',
          loader: 'js',
        }));
      },
    },
  ],
  format: 'esm',
  define: versionDefine,
});

// `agentmux host relay` (every first use starts one) loads this single CommonJS file through
// V8's code cache (bin/code-cache.cjs): no chunks to resolve, and no ~1 MB of code to parse
// and compile on each start. CommonJS because node 20 has a code cache only for scripts.
await build({
  ...shared,
  plugins: [englishOnlyZod],
  entryPoints: { relay: 'src/cli/relay-entry.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external: [
    'better-sqlite3',
    'fs-ext',
    'node-pty',
    '@nats-io/*',
    '@agentclientprotocol/sdk',
    '@modelcontextprotocol/sdk',
  ],
  alias: jsoncAlias,
  define: { ...productionDefine, 'import.meta.url': '__agentmuxModuleUrl' },
  banner: { js: 'var __agentmuxModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
writeRelayCodeCache(join(staging, 'relay.cjs'));

/**
 * Points the relay bundle's import() calls (ESM-only SDKs, loaded on demand) at the loader's
 * `__agentmuxImport` (import() in a vm script needs --experimental-vm-modules), then evaluates
 * the bundle and runs a relay once in a node started with the relay's V8 flags (as a client
 * would spawn it from this environment: V8 rejects a cache made with other flags) and writes
 * its code cache.
 */
function writeRelayCodeCache(file) {
  const source = readFileSync(file, 'utf8');
  const imports = source.match(/\bimport\((?!\))/g)?.length ?? 0;
  const literal = source.match(/\bimport\("[^"]+"\)/g)?.length ?? 0;
  if (imports !== literal)
    throw new Error(`relay bundle: ${imports - literal} import() calls without a literal specifier`);
  writeFileSync(file, source.replace(/\bimport\("/g, '__agentmuxImport("'));
  const { withRelayHeapLimits } = createRequire(import.meta.url)(file);
  // After one relay ran in that node (relay-entry.ts warmUpRelay), the cache also holds the
  // functions a start and a first request compile; if it cannot run, the top level only.
  const generate = `const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { compileBundle, runBundle } = require(${JSON.stringify(join(root, 'bin', 'code-cache.cjs'))});
const { script } = compileBundle(${JSON.stringify(file)});
const relay = runBundle(script, ${JSON.stringify(file)});
const warm = mkdtempSync(join(tmpdir(), 'agentmux-build-'));
relay.warmUpRelay(warm)
  .catch((error) => console.warn('build: relay warm-up for the code cache failed: ' + (error && error.message)))
  .then(() => {
    rmSync(warm, { recursive: true, force: true });
    // The relay set a 077 umask: the cache is read by whoever runs this install.
    writeFileSync(${JSON.stringify(`${file}.cache`)}, script.createCachedData(), { mode: 0o644 });
    require('node:fs').chmodSync(${JSON.stringify(`${file}.cache`)}, 0o644);
    process.exit(0);
  });`;
  const result = spawnSync(process.execPath, ['-e', generate], {
    // A build run in an agent's pane must not take that pane's identity or relay for the warm-up.
    env: withRelayHeapLimits(
      Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith('AGENTMUX_') && !name.startsWith('TMUX')),
      ),
    ),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.stderr) process.stderr.write(result.stderr);
  // Without the cache the relay only compiles its bundle as it did before: not worth failing a build.
  if (result.status !== 0) {
    rmSync(`${file}.cache`, { force: true });
    console.warn(`build: no code cache for the relay bundle: ${result.stderr || result.error}`);
  }
}

mkdirSync(join(dist, 'chunks'), { recursive: true });
const fresh = new Set(readdirSync(join(staging, 'chunks')));
for (const name of fresh) renameSync(join(staging, 'chunks', name), join(dist, 'chunks', name));
for (const name of readdirSync(staging)) {
  if (name !== 'chunks') renameSync(join(staging, name), join(dist, name));
}
rmSync(staging, { recursive: true, force: true });
// The hook bundle was ESM (dist/hook.js) before it became CommonJS.
for (const name of ['hook.js', 'hook.js.map']) rmSync(join(dist, name), { force: true });
// Chunks of older builds are kept for a while for processes still running from them;
// `--clean` (npm pack, via prepack) keeps only this build's, so a tarball has no stale chunks.
const staleAfterMs = process.argv.includes('--clean') ? 0 : 60 * 60 * 1000;
for (const name of readdirSync(join(dist, 'chunks'))) {
  const path = join(dist, 'chunks', name);
  if (!fresh.has(name) && Date.now() - statSync(path).mtimeMs > staleAfterMs) rmSync(path, { force: true });
}
