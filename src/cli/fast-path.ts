// A fast path for the commands agents run most (`send`) and for `host relay`: argument
// parsing with node:util and no yargs, no config parsing when the identity comes from flags
// or the AGENTMUX_* environment. Anything unusual (help, unknown flags, identity from
// tui.toml, first run) returns false and the full CLI handles it.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
 * How the send bundle (dist/send.js) runs the fast path: it cannot start a relay (the spawn
 * path, with its native lock addon and config schemas, is not in it), so a relay that does
 * not answer hands the command to the full CLI.
 */
export interface FastPathMode {
  /** Give up (return the argv for the full CLI) unless a relay is already listening. */
  relayMustBeUp?: boolean;
}

/**
 * Runs the command if the fast path can; returns false to fall back to the full CLI, or (in
 * `relayMustBeUp` mode) the argv the full CLI should run instead: the same command with its
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
  if (argv[0] === 'host') return runHostRelay(roots, bundle, autostart);

  const timeout =
    values['timeout-ms'] === undefined ? SEND_OPTION_SPECS['timeout-ms'].default : Number(values['timeout-ms']);
  if (!session || !Number.isInteger(timeout) || timeout <= 0 || timeout > MAX_WAIT_MS) return false;
  const json = values.json === true;
  const wait = values.wait === true;
  let requestId = values['request-id'] as string | undefined;
  let handOver = argv;
  if (mode.relayMustBeUp === true) {
    // Piped input is read once: the full CLI reads it itself. No socket: nothing to reach.
    if (values.message === undefined || !autostart || !relaySocketExists(roots, bundle)) return argv;
    if (requestId === undefined) {
      requestId = randomUUID();
      handOver = [...argv, '--request-id', requestId];
    }
  }
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
          autoStart: autostart && mode.relayMustBeUp !== true,
          entryPoint: process.env.AGENTMUX_ENTRY ?? process.argv[1] ?? 'agentmux',
          onSpawn: () => process.stderr.write(`agentmux: starting relay for bundle ${bundle}…\n`),
          validator: sendOnlyValidator,
        }),
    );
    process.exitCode = printSendResult(result, { json, wait });
  } catch (error) {
    // Nobody answers (or the relay went away mid-send): the full CLI starts one and sends
    // again under the same request id, which the relay answers once.
    if (mode.relayMustBeUp === true && (error as { code?: unknown }).code === 'relay_unavailable') return handOver;
    process.exitCode = reportError(toAgentmuxError(error), json);
  }
  return true;
}

/** False also for a bundle id that is not one: the full CLI reports it. */
function relaySocketExists(roots: Roots, bundle: string): boolean {
  try {
    return existsSync(bundlePaths(roots.stateDir, bundle).socket);
  } catch {
    return false;
  }
}

async function runHostRelay(roots: Roots, bundle: string, autostart: boolean): Promise<boolean> {
  try {
    const { runRelayHost } = await import('../relay/host.js');
    process.exitCode = await runRelayHost({
      bundle,
      configDir: roots.configDir,
      stateDir: roots.stateDir,
      version: VERSION,
      entryPoint: process.env.AGENTMUX_ENTRY ?? process.argv[1] ?? 'agentmux',
      autostart,
      onReady: (summary) => process.stdout.write(`${JSON.stringify({ event: 'relay.ready', ...summary })}\n`),
    });
  } catch (error) {
    process.exitCode = reportError(toAgentmuxError(error), false);
  }
  return true;
}
