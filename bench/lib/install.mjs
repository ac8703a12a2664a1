// Which agentmux build the benches run. bench/run.mjs copies bin/ and dist/ into a private
// temp install first, so a rebuild of the working tree during a run (another `npm test`,
// an editor's watch build) cannot pull files out from under a bench; a bench run on its
// own uses the working tree.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable naming the install directory a bench should use. */
export const INSTALL_VARIABLE = 'AGENTMUX_BENCH_INSTALL';

/** The repository root (holds bin/, dist/, node_modules/). */
export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** The directory whose bin/agentmux and dist/ the benches use. */
export function installRoot() {
  return process.env[INSTALL_VARIABLE] || REPO_ROOT;
}

/**
 * Copies bin/, dist/ and package.json into a temp dir (node_modules is linked) and checks
 * that `agentmux --version` runs from it; retries a few times while dist/ is mid-rebuild.
 * Returns the directory and its removal.
 */
export async function snapshotInstall() {
  let lastProblem = '';
  for (let attempt = 0; attempt < 10; attempt += 1) {
    if (attempt > 0) await new Promise((done) => setTimeout(done, 1_000));
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli.js'))) {
      lastProblem = 'dist/cli.js is missing (run `node scripts/build.mjs`)';
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), 'agentmux-bench-install-'));
    const remove = () => rmSync(dir, { recursive: true, force: true });
    try {
      for (const entry of ['bin', 'dist', 'package.json']) {
        cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
      }
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    } catch (error) {
      remove();
      lastProblem = String(error?.message ?? error);
      continue;
    }
    const check = spawnSync(process.execPath, [join(dir, 'bin', 'agentmux'), '--version'], { encoding: 'utf8' });
    if (check.status === 0) return { dir, remove };
    remove();
    lastProblem = `the copied build does not run: ${check.stderr.trim().split('\n')[0] ?? ''}`;
  }
  throw new Error(`cannot snapshot the build: ${lastProblem}`);
}
