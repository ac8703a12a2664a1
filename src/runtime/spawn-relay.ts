// Starts `agentmux host relay` as a detached daemon whose output goes to relay.log, never to
// the caller's stdio (an MCP server's stdout is its protocol stream).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ioFailed } from './fs-errors.js';
import { checkOwnedArtifact } from './paths.js';
import { withRelayAllocator } from './relay-allocator.js';
import { withoutRelayExtraCaCerts } from './relay-ca-certs.js';
import { withRelayHeapLimits } from './relay-heap.js';
import type { BundlePaths } from './paths.js';
import type { SpawnedRelay } from './bootstrap.js';

/** How much of the relay log a startup failure quotes. */
export const LOG_TAIL_BYTES = 2048;

const LOG_FILE_MODE = 0o600;
const SPAWN_FAILED_EXIT_CODE = 127;

/** The relay program: $AGENTMUX_COMMAND, then $AGENTMUX_RELAY_COMMAND (trimmed, non-empty), then `entryPoint`. */
export function resolveRelayProgram(entryPoint: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const name of ['AGENTMUX_COMMAND', 'AGENTMUX_RELAY_COMMAND']) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return entryPoint;
}

/** What the spawned relay needs to find its bundle. */
export interface SpawnRelayOptions {
  /** Executable (or shebang script) run directly, without a shell. */
  program: string;
  bundle: string;
  configDir: string;
  stateDir: string;
  paths: BundlePaths;
  /** Environment of the relay. @default process.env */
  env?: NodeJS.ProcessEnv;
}

// A program given with a directory part is made absolute because the child's cwd is the
// runtime dir; a bare name is left for PATH lookup.
function absoluteProgram(program: string): string {
  return program.includes('/') && !isAbsolute(program) ? resolve(program) : program;
}

/** Spawns `<program> host relay --bundle B --config-directory C --state-directory S`, detached and unref'd. */
export function spawnRelayDetached(options: SpawnRelayOptions): SpawnedRelay {
  const { paths } = options;
  const program = absoluteProgram(options.program);
  const args = [
    'host',
    'relay',
    '--bundle',
    options.bundle,
    '--config-directory',
    resolve(options.configDir),
    '--state-directory',
    resolve(options.stateDir),
  ];
  const logFd = openLog(paths.log);
  let exit: number | null | undefined;
  let child: ChildProcess;
  try {
    child = spawn(program, args, {
      cwd: paths.dir,
      env: withRelayHeapLimits(
        withRelayAllocator(
          withoutRelayExtraCaCerts(withoutAgentCredential(options.env ?? process.env), {
            configDir: options.configDir,
            bundle: options.bundle,
          }),
        ),
      ),
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
  child.once('exit', (code) => {
    exit = code;
  });
  // ENOENT/EACCES for the program arrive here; record them where the log tail will show them,
  // and report 127 like a shell that could not run the command.
  child.once('error', (error) => {
    try {
      appendFileSync(paths.log, `agentmux: could not start relay program ${program}: ${error.message}\n`);
    } catch {
      // the failure is still reported through exitCode()
    }
    exit ??= SPAWN_FAILED_EXIT_CODE;
  });
  child.unref();
  const pid = child.pid;
  return {
    pid,
    exitCode: () => exit,
    logTail: () => readLogTail(paths.log),
  };
}

function openLog(path: string): number {
  checkOwnedArtifact(path);
  try {
    return openSync(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      LOG_FILE_MODE,
    );
  } catch (error) {
    throw ioFailed(`open relay log ${path}`, error);
  }
}

/** The last LOG_TAIL_BYTES of `path` (from a line start when cut); empty when unreadable. */
export function readLogTail(path: string, maxBytes: number = LOG_TAIL_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    const text = buffer.subarray(0, read).toString('utf8');
    if (start === 0) return text;
    const newline = text.indexOf('\n');
    return newline === -1 ? text : text.slice(newline + 1);
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}

/** A relay started from an agent's pane must not carry that agent's credential (its panes and workers would inherit it). */
function withoutAgentCredential(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.AGENTMUX_TOKEN === undefined) return env;
  const { AGENTMUX_TOKEN: _dropped, ...rest } = env;
  return rest;
}
