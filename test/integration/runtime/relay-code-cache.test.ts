// The relay starts from its own CommonJS bundle (dist/relay.cjs) through V8's code cache
// (bin/code-cache.cjs): the loader itself on small bundles, then a real relay started by
// `agentmux send`, which says in its start-up log line how it was loaded.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const LOADER = fileURLToPath(new URL('../../../bin/code-cache.cjs', import.meta.url));

let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('codecache');
});

afterEach(async () => {
  await stopRelay(roots, 'team');
  roots.cleanup();
});

describe('bin/code-cache.cjs', () => {
  const BUNDLE_SOURCE = [
    "const { basename } = require('node:path');",
    'exports.name = basename(__filename);',
    'exports.double = (n) => n * 2;',
    "exports.loadOs = () => __agentmuxImport('node:os').then((os) => typeof os.cpus);",
  ].join('\n');

  // Each step in a node of its own: V8 also caches compiled scripts in memory, per process.
  function inNode(code: string): string {
    const result = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.trim();
  }

  it('compiles without a cache, takes the one made after a run, and still runs when the cache is bad', () => {
    const file = join(roots.root, 'bundle.cjs');
    writeFileSync(file, BUNDLE_SOURCE);
    const load = `const loader = require(${JSON.stringify(LOADER)});`;
    const made = inNode(
      `${load} const { script, cache } = loader.compileBundle(${JSON.stringify(file)});
const bundle = loader.runBundle(script, ${JSON.stringify(file)});
require('node:fs').writeFileSync(${JSON.stringify(`${file}.cache`)}, script.createCachedData());
bundle.loadOs().then((kind) => console.log(cache, bundle.name, bundle.double(21), kind));`,
    );
    // The bundle's dynamic imports go through the loader's import().
    expect(made).toBe('none bundle.cjs 42 function');
    const run = `${load} const { exports, codeCache } = loader.requireWithCodeCache(${JSON.stringify(file)});
console.log(codeCache, exports.double(4));`;
    expect(inNode(run)).toBe('accepted 8');
    writeFileSync(`${file}.cache`, Buffer.from('not a code cache'));
    expect(inNode(run)).toBe('rejected 8');
  });
});

describe('a relay started by `agentmux send`', () => {
  it('runs from dist/relay.cjs, loaded through the code cache the build wrote', async () => {
    writeBundle(roots, 'team', [{ id: 'alice' }, { id: 'bob' }]);
    const sent = await runCli(roots, ['send', '-t', 'bob', '-m', 'hi', '--bundle', 'team', '--as-session', 'alice']);
    expect(sent.code, sent.stderr).toBe(0);
    const log = readFileSync(join(roots.stateDir, 'bundles', 'team', 'relay.log'), 'utf8');
    const startup = log
      .split('\n')
      .filter((line) => line.includes('"relay.startup"'))
      .map((line) => JSON.parse(line) as { code_cache?: string });
    expect(startup).toHaveLength(1);
    // `accepted` with the node and V8 flags the build used; another node only compiles as usual.
    expect(['accepted', 'rejected']).toContain(startup[0]?.code_cache);
  }, 30_000);
});
