// First use: `agentmux send` finds no relay and starts one. The relay validates the
// configuration itself, so the client spawns it at once and only reads the configuration
// when the relay could not start (to report the configuration error, not a log tail).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv, runCli, stopRelay, writeBundle, type CliResult } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('cold-start');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

/** Runs node `args` with the roots' environment. */
function runNode(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: cliEnv(roots), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

it('spawns the relay without loading the config parser (the relay validates the configuration)', async () => {
  // A module loader hook records every module the sending process resolves (not the relay's:
  // the relay is its own process, started without the hook).
  const loaded = join(roots.root, 'loaded.txt');
  const loader = join(roots.root, 'record-loads.mjs');
  writeFileSync(
    loader,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(loaded)}, result.url + '\\n');
  return result;
}
`,
  );
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`file://${loader}`)});`;
  const result = await runNode([
    '--import',
    `data:text/javascript,${encodeURIComponent(register)}`,
    AGENTMUX_BIN,
    'send',
    '--as-session',
    'alice',
    '-t',
    'bob',
    '-m',
    'first use',
  ]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain('starting relay');
  const builtFiles = readFileSync(loaded, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:') && url.includes('/dist/'))
    .map((url) => fileURLToPath(url));
  expect(builtFiles.length).toBeGreaterThan(0);
  // esbuild marks each source file it bundles with a `// src/…` comment.
  const withParser = builtFiles.filter((file) =>
    /^\/\/ src\/config\/(load|toml-file)\.ts$/m.test(readFileSync(file, 'utf8')),
  );
  expect(withParser).toEqual([]);
});

it('reports an invalid bundle file as the configuration error, naming file and line', async () => {
  writeFileSync(
    join(roots.configDir, 'bundles', `${BUNDLE}.toml`),
    [
      'format-version = 1',
      '',
      '[[sessions]]',
      'id = "alice"',
      `directory = "${roots.root}"`,
      'colour = "red"',
      '',
    ].join('\n'),
  );
  const result = await runCli(roots, ['send', '--as-session', 'alice', '-t', 'bob', '-m', 'hi', '--json']);
  expect(result.code).toBe(1);
  const error = JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '') as {
    error: { code: string; message: string };
  };
  expect(error.error.code).toBe('validation_invalid_config');
  expect(error.error.message).toContain(`${BUNDLE}.toml`);
  expect(error.error.message).toContain('colour');
});
