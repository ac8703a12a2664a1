// Resolving who and where a CLI command acts: roots, bundle, session and its role. Also the
// one place that opens relay connections for commands.
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
// Straight from the modules, not config/index.js: its other modules (`check`, the hooks'
// settings files) are code every command start would load and never run.
import { loadTui } from '../config/load.js';
import { resolveRoots, type Roots } from '../config/roots.js';
import { ensureStarterFiles } from '../config/starter.js';
import { AgentmuxError } from '../core/errors.js';
import { openRelay, type RelayClient } from '../client/index.js';
import type { SessionRole } from '../core/protocol/index.js';
import { resolveCommandIdentity } from '../config/identity.js';
import type { GlobalArgs } from './global-args.js';
import { note } from './print/output.js';
import { VERSION } from './version.js';

/** Absolute path of the agentmux entry point, exported to panes as AGENTMUX_COMMAND. */
export function entryPoint(): string {
  const fromEnv = process.env.AGENTMUX_ENTRY;
  if (fromEnv) return fromEnv;
  const script = process.argv[1] ?? 'agentmux';
  try {
    return realpathSync(script);
  } catch {
    return script;
  }
}

/** Roots from flags and environment; writes starter files on first use. */
export function rootsOf(args: GlobalArgs): Roots {
  const roots = resolveRoots({
    ...(args['config-directory'] === undefined ? {} : { configDirectory: args['config-directory'] }),
    ...(args['state-directory'] === undefined ? {} : { stateDirectory: args['state-directory'] }),
  });
  const written = ensureStarterFiles(roots.configDir);
  // Say where the first run put the files a user will want to edit (stderr: output stays clean).
  if (written.length > 0) {
    note(
      `agentmux: wrote starter configuration to ${roots.configDir}: ${written.map((f) => relative(roots.configDir, f)).join(', ')}`,
    );
  }
  return roots;
}

/** The bundle a command acts on: --bundle, $AGENTMUX_BUNDLE, tui.toml default-bundle. */
export function bundleOf(args: GlobalArgs, roots: Roots): string {
  const { bundle } = resolveCommandIdentity({
    flags: { bundle: args.bundle },
    env: process.env,
    defaults: () => ({ bundle: loadTui(roots.configDir).defaultBundle }),
  });
  if (!bundle) {
    throw new AgentmuxError('validation_unknown_bundle', 'no bundle selected', {
      hint: 'pass --bundle, set AGENTMUX_BUNDLE, or set default-bundle in tui.toml',
    });
  }
  return bundle;
}

/** The acting session and its role: --as-session, $AGENTMUX_SESSION, tui.toml default-session. */
export function sessionOf(args: GlobalArgs, roots: Roots): { session: string; role: SessionRole } {
  const tui = loadTui(roots.configDir);
  const { session } = resolveCommandIdentity({
    flags: { session: args['as-session'] },
    env: process.env,
    defaults: () => ({ session: tui.defaultSession }),
  });
  if (!session) {
    throw new AgentmuxError('validation_unknown_session', 'no session to act as', {
      hint: 'pass --as-session, set AGENTMUX_SESSION, or set default-session in tui.toml',
    });
  }
  const role: SessionRole = tui.operators.some((operator) => operator.id === session) ? 'operator' : 'agent';
  return { session, role };
}

/** Opens a hello'd connection for a command, auto-starting the relay unless --no-autostart. */
export async function connectAs(
  args: GlobalArgs,
  options: { observer?: boolean; autoStart?: boolean } = {},
): Promise<{ client: RelayClient; roots: Roots; bundle: string }> {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const identity = options.observer ? { bundle, role: 'observer' as const } : { bundle, ...sessionOf(args, roots) };
  const client = await openRelay({
    roots,
    identity,
    clientName: 'agentmux-cli',
    clientVersion: VERSION,
    autoStart: options.autoStart ?? args.autostart,
    entryPoint: entryPoint(),
    onSpawn: () => process.stderr.write(`agentmux: starting relay for bundle ${bundle}…\n`),
  });
  return { client, roots, bundle };
}
