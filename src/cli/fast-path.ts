// A fast path for the commands agents run most (`send`) and for `host relay`: argument
// parsing with node:util and no yargs, no config parsing when the identity comes from flags
// or the AGENTMUX_* environment. Anything unusual (help, unknown flags, identity from
// tui.toml, first run) returns false and the full CLI handles it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { resolveCommandIdentity } from '../config/identity.js';
import { resolveRoots, type Roots } from '../config/roots.js';
import { openRelay } from '../client/open-relay.js';
import { bundlePaths } from '../runtime/paths.js';
import { toAgentmuxError } from '../core/errors.js';
import { MAX_WAIT_MS } from '../core/protocol/limits.js';
import { GLOBAL_OPTIONS, withoutNegations } from './global-args.js';
import { sendOnlyValidator } from './light-validator.js';
import { reportError } from './print/output.js';
import { printSendResult, sendMessage } from './send-core.js';
import { parseArgsOptions, SEND_OPTION_SPECS } from './send-options.js';
import { VERSION } from './version.js';

const SEND_OPTIONS = { ...GLOBAL_OPTIONS, ...parseArgsOptions(SEND_OPTION_SPECS) };

function rootsFrom(values: { 'config-directory'?: string | undefined; 'state-directory'?: string | undefined }): Roots {
  // No starter files here: the relay this command reaches (or starts) writes them.
  return resolveRoots({
    ...(values['config-directory'] === undefined ? {} : { configDirectory: values['config-directory'] }),
    ...(values['state-directory'] === undefined ? {} : { stateDirectory: values['state-directory'] }),
  });
}

/**
 * default-bundle / default-session from tui.toml, read without the schema layer (the full CLI
 * validates the file; anything odd here just means no default). Only read when a flag or the
 * environment did not name them.
 */
function tuiDefaults(configDir: string): { bundle?: string; session?: string } {
  let text: string;
  try {
    text = readFileSync(join(configDir, 'tui.toml'), 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = parseToml(text);
    const bundle = parsed['default-bundle'];
    const session = parsed['default-session'];
    return {
      ...(typeof bundle === 'string' && bundle.trim() ? { bundle: bundle.trim() } : {}),
      ...(typeof session === 'string' && session.trim() ? { session: session.trim() } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * How the send bundle (dist/send.js) runs the fast path. It starts a relay itself on first use
 * (the relay reads the configuration, not the client), but it has no config schemas: what
 * needs them (reporting an unknown bundle, or why a relay failed to start) and piped input
 * hand the command to the full CLI.
 */
export interface FastPathMode {
  /** Running from the send bundle: return the argv for the full CLI instead of what it cannot do. */
  sendBundle?: boolean;
  /** For `host relay`: what the relay adds to its `relay.startup` log line (how it was loaded). */
  relayStartup?: Record<string, unknown>;
}

/**
 * Runs the command if the fast path can; returns false to fall back to the full CLI, or (in
 * `sendBundle` mode) the argv the full CLI should run instead: the same command with its
 * request id fixed, so the full CLI's attempt can never duplicate one that reached the relay.
 */
export async function runFastPath(argv: string[], mode: FastPathMode = {}): Promise<boolean | string[]> {
  const { args, autostart } = withoutNegations(argv.slice(argv[0] === 'host' ? 2 : 1));
  const options = argv[0] === 'host' ? GLOBAL_OPTIONS : SEND_OPTIONS;
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: false });
    values = parsed.values;
  } catch {
    return false;
  }
  let roots: Roots;
  try {
    roots = rootsFrom(values);
  } catch {
    return false; // the full CLI reports the problem
  }
  const { bundle, session } = resolveCommandIdentity({
    flags: { bundle: values.bundle as string | undefined, session: values['as-session'] as string | undefined },
    env: process.env,
    defaults: () => tuiDefaults(roots.configDir),
  });
  if (!bundle) return false;
  if (argv[0] === 'host') return runHostRelay(roots, bundle, autostart, mode.relayStartup ?? {});

  const timeout =
    values['timeout-ms'] === undefined ? SEND_OPTION_SPECS['timeout-ms'].default : Number(values['timeout-ms']);
  if (!session || !Number.isInteger(timeout) || timeout <= 0 || timeout > MAX_WAIT_MS) return false;
  const json = values.json === true;
  const wait = values.wait === true;
  let requestId = values['request-id'] as string | undefined;
  let handOver = argv;
  if (mode.sendBundle === true) {
    // Piped input is read once: the full CLI reads it itself, and reports a bundle id that is not one.
    if (values.message === undefined || !validBundleId(roots, bundle)) return argv;
    if (requestId === undefined) {
      requestId = randomUUID();
      handOver = [...argv, '--request-id', requestId];
    }
  }
  let spawned = false;
  try {
    const result = await sendMessage(
      {
        targets: (values.target as string[] | undefined) ?? [],
        broadcast: values.broadcast === true,
        message: values.message as string | undefined,
        subject: values.subject as string | undefined,
        replyTo: values['reply-to'] as string | undefined,
        requestId,
        wait,
        timeoutMs: timeout,
        json,
      },
      () =>
        openRelay({
          roots,
          identity: { bundle, session },
          clientName: 'agentmux-cli',
          clientVersion: VERSION,
          autoStart: autostart,
          entryPoint: process.env.AGENTMUX_ENTRY ?? process.argv[1] ?? 'agentmux',
          onSpawn: () => {
            spawned = true;
            process.stderr.write(`agentmux: starting relay for bundle ${bundle}…\n`);
          },
          validator: sendOnlyValidator,
        }),
    );
    process.exitCode = printSendResult(result, { json, wait });
  } catch (error) {
    // What the send bundle cannot do itself, or nobody answers (a relay went away mid-send):
    // the full CLI does it, sending again under the same request id, which the relay answers
    // once. A relay this process started and waited for is not waited for a second time.
    if (mode.sendBundle === true && handToFullCli(error, spawned)) return handOver;
    process.exitCode = reportError(toAgentmuxError(error), json);
  }
  return true;
}

function validBundleId(roots: Roots, bundle: string): boolean {
  try {
    bundlePaths(roots.stateDir, bundle);
    return true;
  } catch {
    return false;
  }
}

function handToFullCli(error: unknown, spawned: boolean): boolean {
  const failure = error as { fullCliOnly?: unknown; code?: unknown } | null | undefined;
  if (failure?.fullCliOnly === true) return true;
  return !spawned && failure?.code === 'relay_unavailable';
}

async function runHostRelay(
  roots: Roots,
  bundle: string,
  autostart: boolean,
  startup: Record<string, unknown>,
): Promise<boolean> {
  try {
    const { runRelayHost } = await import('../relay/host.js');
    process.exitCode = await runRelayHost({
      bundle,
      configDir: roots.configDir,
      stateDir: roots.stateDir,
      version: VERSION,
      entryPoint: process.env.AGENTMUX_ENTRY ?? process.argv[1] ?? 'agentmux',
      autostart,
      startup,
      onReady: (summary) => process.stdout.write(`${JSON.stringify({ event: 'relay.ready', ...summary })}\n`),
    });
  } catch (error) {
    process.exitCode = reportError(toAgentmuxError(error), false);
  }
  return true;
}
