// What the dashboard loads before its first frame (bench/tui-first-frame.mjs has the time):
// not yargs (`agentmux tui` takes only the global flags) and not node's fetch (undici), which
// ink's layout engine would otherwise use to load its WebAssembly.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { waitFor } from '../../helpers/client.js';
import { stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { startUi, type UiPane } from './ui-pane.js';

const BUNDLE = 'team';
let roots: TempRoots;
let ui: UiPane | undefined;

beforeEach(() => {
  roots = makeTempRoots('tui-startup');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await ui?.kill();
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

it('draws its first frame without loading yargs or undici', async () => {
  const records = join(roots.root, 'records');
  const loader = join(roots.root, 'record-loads.mjs');
  const recorder = join(roots.root, 'record-exit.cjs');
  // Every process of the test (the dashboard and the relay it starts) records the modules it
  // resolves; the dashboard also records, as it exits, whether undici was ever loaded.
  writeFileSync(
    loader,
    `import { appendFileSync, mkdirSync } from 'node:fs';
mkdirSync(${JSON.stringify(records)}, { recursive: true });
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(records)} + '/loads-' + process.pid, result.url + '\\n');
  return result;
}
`,
  );
  writeFileSync(
    recorder,
    `if (process.argv.includes('tui')) {
  process.on('exit', () => {
    const undici = process.moduleLoadList.some((name) => name.includes('internal/deps/undici'));
    require('node:fs').writeFileSync(${JSON.stringify(records)} + '/tui-' + process.pid, JSON.stringify({ undici }));
  });
}
`,
  );
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(loader).href)});`;
  ui = await startUi(roots, {
    columns: 120,
    rows: 40,
    args: ['--bundle', BUNDLE],
    env: { NODE_OPTIONS: `--require ${recorder} --import data:text/javascript,${encodeURIComponent(register)}` },
  });
  await ui.waitFor((screen) => screen.includes('bob') && screen.includes('Enter send'), 'the first full frame');
  await ui.keys(['C-c']);
  await waitFor(() => ui?.exitCode() !== undefined, 10_000, 'the dashboard to exit');
  expect(ui.exitCode()).toBe(0);

  const exitRecord = readdirSync(records).find((name) => name.startsWith('tui-'));
  expect(exitRecord).toBeDefined();
  expect(JSON.parse(readFileSync(join(records, exitRecord ?? ''), 'utf8'))).toEqual({ undici: false });
  const loaded = readFileSync(join(records, `loads-${(exitRecord ?? '').slice('tui-'.length)}`), 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:') && url.includes('/dist/'))
    .map((url) => fileURLToPath(url));
  expect(loaded.length).toBeGreaterThan(0);
  // esbuild marks each bundled source file with a comment naming its path.
  const withYargs = loaded.filter((file) => /^\/\/ \S*node_modules\/yargs\//m.test(readFileSync(file, 'utf8')));
  expect(withYargs).toEqual([]);
});
