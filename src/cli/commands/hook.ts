// `agentmux hook --client claude|codex|gemini [EVENT] [PAYLOAD]`: run by an agent CLI's own
// hooks to report what the agent is doing (Settled detail 21). It runs on every tool use, so
// it is light (no yargs on the fast path, no config parsing) and harmless: it never writes
// stdout (Claude Code feeds hook stdout to the model), always exits 0 (exit 2 would block the
// prompt or the tool call), never starts a relay, gives up after about 1 s, and does nothing
// without AGENTMUX_SESSION.
import { isatty } from 'node:tty';
import { parseArgs } from 'node:util';
import type { Argv, CommandModule } from 'yargs';
import { RelayClient } from '../../client/relay-client.js';
import type { HookClient } from '../../config/index.js';
import { resolveCommandIdentity } from '../../config/identity.js';
import { resolveRoots } from '../../config/roots.js';
import type { SessionReportParams } from '../../core/protocol/index.js';
import { interpretHook } from '../../hooks/events.js';
import { MAX_PAYLOAD_BYTES, parsePayload, splitHookArguments } from '../../hooks/invocation.js';
import { bundlePaths, checkOwnedArtifact } from '../../runtime/paths.js';
import type { GlobalArgs } from '../global-args.js';
import { hookOnlyValidator } from '../light-validator.js';
import { note } from '../print/output.js';
import { VERSION } from '../version.js';

/** The hook gives up this long after its process started… */
export const HOOK_DEADLINE_MS = 1000;
/** …but never less than this after it began its work (a loaded machine starts node slowly). */
export const HOOK_MIN_BUDGET_MS = 300;

/** What the hook was asked, before anything is read. */
export interface HookInvocation {
  client: string | undefined;
  positionals: readonly string[];
  bundle?: string | undefined;
  stateDirectory?: string | undefined;
}

/** Where the report goes. */
export interface ReportTarget {
  socket: string;
  bundle: string;
  session: string;
  /** AGENTMUX_TOKEN of the pane, when it carries one. */
  credential: string | undefined;
}

/** The outside world of one hook run (fakes in unit tests). */
export interface HookIo {
  env: NodeJS.ProcessEnv;
  /** stdin, at most `maxBytes`; undefined when stdin is a terminal (then it is never read). */
  readStdin(maxBytes: number, timeoutMs: number): Promise<string | undefined>;
  /** Sends `session.report` as `target.session`; must finish within `remainingMs()`. */
  report(target: ReportTarget, params: SessionReportParams, remainingMs: () => number): Promise<void>;
  /** Milliseconds left before the hook gives up. */
  remainingMs(): number;
}

/** What one run did (only shown with AGENTMUX_HOOK_DEBUG=1, on stderr). */
export type HookOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'ignored'; event: string | undefined }
  | { kind: 'reported'; params: SessionReportParams }
  | { kind: 'failed'; reason: string };

const CLIENTS: ReadonlySet<string> = new Set<HookClient>(['claude', 'codex', 'gemini']);

/** One hook run: reads the payload, maps it, reports it. Never throws. */
export async function runHook(invocation: HookInvocation, io: HookIo): Promise<HookOutcome> {
  try {
    const client = invocation.client;
    if (client === undefined || !CLIENTS.has(client)) return { kind: 'skipped', reason: 'no known --client' };
    // The session only ever comes from the environment: a hook reports for the pane it runs in.
    const { bundle, session, credential } = resolveCommandIdentity({
      flags: { bundle: invocation.bundle },
      env: io.env,
    });
    if (session === undefined) return { kind: 'skipped', reason: 'AGENTMUX_SESSION is not set' };
    if (bundle === undefined) return { kind: 'skipped', reason: 'AGENTMUX_BUNDLE is not set' };
    const args = splitHookArguments(invocation.positionals);
    const text = args.payloadText ?? (await io.readStdin(MAX_PAYLOAD_BYTES, io.remainingMs()));
    const report = interpretHook(client as HookClient, args.event, parsePayload(text));
    if (report === undefined) return { kind: 'ignored', event: args.event };
    const params: SessionReportParams = {
      event: report.event,
      ...(report.state === undefined ? {} : { state: report.state }),
      ...(report.conversationId === undefined ? {} : { conversation_id: report.conversationId }),
      ...(report.prompt === undefined ? {} : { prompt: report.prompt }),
    };
    // Only the state root matters; the config root (which may be unresolvable) is never read.
    const stateDir = resolveRoots(
      {
        configDirectory: '.',
        ...(invocation.stateDirectory === undefined ? {} : { stateDirectory: invocation.stateDirectory }),
      },
      io.env,
    ).stateDir;
    const paths = bundlePaths(stateDir, bundle);
    await io.report({ socket: paths.socket, bundle, session, credential }, params, () => io.remainingMs());
    return { kind: 'reported', params };
  } catch (error) {
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The fast-path entry: `argv` after `hook`; parses without yargs and ends the process with
 * exit code 0 once the report is answered (or given up). Exiting at once skips the socket's
 * orderly close and node's environment teardown, which the agent would otherwise wait for
 * before every model call (bench/hook-startup.mjs).
 */
export async function runHookArgv(argv: readonly string[]): Promise<void> {
  let invocation: HookInvocation;
  try {
    invocation = parseHookArgv(argv);
  } catch {
    invocation = { client: undefined, positionals: [] };
  }
  await runHookProcess(invocation);
  process.exit(0);
}

/** `--client`, `--bundle`/`-b`, `--state-directory` and positionals; anything else is ignored. */
export function parseHookArgv(argv: readonly string[]): HookInvocation {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      client: { type: 'string' },
      bundle: { type: 'string', short: 'b' },
      'state-directory': { type: 'string' },
    },
    strict: false,
    allowPositionals: true,
  });
  return {
    client: stringOf(values.client),
    positionals,
    bundle: stringOf(values.bundle),
    stateDirectory: stringOf(values['state-directory']),
  };
}

/** Runs the hook in this process with the real stdin and socket, under the deadline. */
export async function runHookProcess(invocation: HookInvocation): Promise<void> {
  const deadline = Math.max(HOOK_DEADLINE_MS, sinceStartMs() + HOOK_MIN_BUDGET_MS);
  const remainingMs = (): number => Math.max(0, deadline - sinceStartMs());
  // A relay that accepted but never answers must not hold the agent up.
  const guard = setTimeout(() => process.exit(0), remainingMs() + 50);
  guard.unref();
  const outcome = await runHook(invocation, { env: process.env, readStdin, report: reportToRelay, remainingMs });
  if (process.env.AGENTMUX_HOOK_DEBUG === '1') note(`agentmux hook: ${describe(outcome)}`);
  process.exitCode = 0;
}

/** Sends one report to the relay as the hook does (exported for tests without the process deadline). */
export async function reportToRelay(target: ReportTarget, params: SessionReportParams, remainingMs: () => number) {
  checkOwnedArtifact(target.socket, { socket: true });
  const client = await RelayClient.connect({
    socketPath: target.socket,
    identity: {
      bundle: target.bundle,
      session: target.session,
      ...(target.credential === undefined ? {} : { credential: target.credential }),
    },
    clientName: 'agentmux-hook',
    clientVersion: VERSION,
    // Never zod: the hook runs before every model call of the agent.
    validator: hookOnlyValidator,
    timeoutMs: Math.max(1, remainingMs()),
  });
  try {
    await client.request('session.report', params, { timeoutMs: Math.max(1, remainingMs()) });
  } finally {
    client.close();
  }
}

// Milliseconds since the process started: what performance.now() says, without loading
// node's perf_hooks (~2 ms of the hook's start-up).
function sinceStartMs(): number {
  return process.uptime() * 1000;
}

// Bounded in size and time; `isatty` is asked first so a terminal stdin is never opened.
function readStdin(maxBytes: number, timeoutMs: number): Promise<string | undefined> {
  if (isatty(0)) return Promise.resolve(undefined);
  let stdin: NodeJS.ReadStream;
  try {
    stdin = process.stdin;
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => {
      clearTimeout(timer);
      stdin.removeAllListeners('data');
      stdin.destroy();
      resolve(Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'));
    };
    const timer = setTimeout(finish, timeoutMs);
    stdin.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) finish();
    });
    stdin.once('end', finish);
    stdin.once('error', finish);
  });
}

function describe(outcome: HookOutcome): string {
  switch (outcome.kind) {
    case 'skipped':
      return `skipped: ${outcome.reason}`;
    case 'ignored':
      return `ignored event ${outcome.event ?? '(none)'}`;
    case 'reported':
      return `reported ${outcome.params.state ?? 'conversation'} (${outcome.params.event})`;
    case 'failed':
      return `failed: ${outcome.reason}`;
    default: {
      const unreachable: never = outcome;
      return String(unreachable);
    }
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** yargs arguments of `hook` (the fast path parses the same ones itself). */
export interface HookArgs extends GlobalArgs {
  client?: string | undefined;
  args?: string[] | undefined;
}

/** `agentmux hook`, for `--help` and for command lines the fast path does not take. */
export const hookCommand: CommandModule<GlobalArgs, HookArgs> = {
  command: 'hook [args..]',
  describe: 'Report agent state from an agent CLI hook (run by the hooks `hooks install` writes)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      // Lenient on purpose: a usage error exits 2, which Claude Code treats as "block".
      .strict(false)
      .option('client', { type: 'string', describe: 'claude, codex or gemini' })
      .positional('args', { type: 'string', array: true, describe: 'EVENT, then the payload JSON (else stdin)' })
      .example('$0 hook --client claude Stop', 'payload JSON on stdin'),
  handler: (args) =>
    runHookProcess({
      client: args.client,
      positionals: (args.args ?? []).map(String),
      bundle: args.bundle,
      stateDirectory: args['state-directory'],
    }),
};
