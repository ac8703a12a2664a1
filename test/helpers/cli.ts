// Runs the built CLI (bin/agentmux) as a user would, with isolated roots.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TempRoots } from './temp-roots.js';

/** Absolute path of bin/agentmux. */
export const AGENTMUX_BIN = resolve(import.meta.dirname, '../../bin/agentmux');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI run against these roots (no inherited agentmux identity). */
export function cliEnv(roots: TempRoots, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('AGENTMUX_') && key !== 'AGENTMUX_TEST_ROOT') delete env[key];
  delete env.TMUX;
  delete env.TMUX_PANE;
  return { ...env, AGENTMUX_CONFIG_DIR: roots.configDir, AGENTMUX_STATE_DIR: roots.stateDir, ...extra };
}

/** Runs `agentmux ...args` to completion. */
export function runCli(
  roots: TempRoots,
  args: string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      AGENTMUX_BIN,
      args,
      { env: cliEnv(roots, options.env), timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    // A command that exits before reading stdin makes this write fail with EPIPE; harmless.
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Starts a long-running CLI command (e.g. `watch`). */
export function spawnCli(roots: TempRoots, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(AGENTMUX_BIN, args, { env: cliEnv(roots, env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface SessionSpec {
  id: string;
  coder?: string;
  name?: string;
  directory?: string;
  /** Sessions this one supervises (`"*"`: every other agent). */
  supervise?: string[];
}

/** Writes bundles/<bundle>.toml with these sessions, and tui.toml with these operators. */
export function writeBundle(
  roots: TempRoots,
  bundle: string,
  sessions: SessionSpec[],
  operators: string[] = ['user'],
): void {
  mkdirSync(join(roots.configDir, 'bundles'), { recursive: true });
  const lines = ['format-version = 1', ''];
  for (const s of sessions) {
    lines.push('[[sessions]]', `id = "${s.id}"`, `directory = "${s.directory ?? roots.root}"`);
    if (s.coder) lines.push(`coder = "${s.coder}"`);
    if (s.name) lines.push(`name = "${s.name}"`);
    if (s.supervise) lines.push(`supervise = ${JSON.stringify(s.supervise)}`);
    lines.push('');
  }
  writeFileSync(join(roots.configDir, 'bundles', `${bundle}.toml`), lines.join('\n'));
  const tui = [`default-bundle = "${bundle}"`, `default-session = "${operators[0] ?? 'user'}"`, ''];
  for (const id of operators) tui.push('[[sessions]]', `id = "${id}"`, `name = "Operator ${id}"`, '');
  writeFileSync(join(roots.configDir, 'tui.toml'), tui.join('\n'));
}

/** The relay's pid from relay.lock, if any. */
export function relayPid(roots: TempRoots, bundle: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(roots.stateDir, 'bundles', bundle, 'relay.lock'), 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the bundle's relay (SIGTERM, then SIGKILL) and waits for it to exit. */
export async function stopRelay(roots: TempRoots, bundle: string): Promise<void> {
  const pid = relayPid(roots, bundle);
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}
