// Builds the MCP server for one agent session: identity, roots, policy, relay link, tools and
// the inbox resource. Nothing here writes to stdout; that is the protocol's alone.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { openRelay, type RelayClient } from '../client/index.js';
import {
  ensureStarterFiles,
  findMember,
  loadTeam,
  resolveRoots,
  teamPrimer,
  type PolicyControls,
} from '../config/index.js';
import { toAgentmuxError } from '../core/errors.js';
import type { SessionRole } from '../core/protocol/index.js';
import { resolveIdentity, type IdentityResolution, type McpIdentity } from './identity.js';
import { registerInboxResource } from './inbox-resource.js';
import { readOverride, type OverrideLookup } from './override-file.js';
import { procAncestors, type AncestorProcess } from './proc-ancestors.js';
import { RelayLink } from './relay-link.js';
import { untrustedConfigRoot } from './root-trust.js';
import type { ActingSession, ToolContext } from './tool-context.js';
import { registerAskTool } from './tools/ask-tool.js';
import { registerHistoryTools } from './tools/history-tools.js';
import { registerMailTools } from './tools/mail-tools.js';
import { registerRosterTools } from './tools/roster-tools.js';
import { registerScreenTools, type ScreenTools } from './tools/screen-tools.js';

/** How `host mcp` was started; the injectable parts default to the real process. */
export interface McpHostOptions {
  version: string;
  /** The agentmux entry point, used to auto-start the relay. */
  entryPoint: string;
  flags: {
    bundle?: string | undefined;
    session?: string | undefined;
    configDirectory?: string | undefined;
    stateDirectory?: string | undefined;
  };
  /** May tool calls start the relay (`--no-autostart` says no). */
  autoStart: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  ancestors?: () => Iterable<AncestorProcess>;
  override?: (cwd: string) => OverrideLookup;
  /** One line of diagnostics (default: stderr). */
  log?: (line: string) => void;
  /** Opens a relay client (default: openRelay, which auto-starts). */
  open?: (acting: Omit<ActingSession, 'link' | 'controls'>, autoStart: boolean) => Promise<RelayClient>;
}

/** A built server, not yet connected to a transport. */
export interface AgentmuxMcp {
  mcp: McpServer;
  context: ToolContext;
  resolution: IdentityResolution;
  /** Connects to the relay in the background so inbox updates flow before the first tool call. */
  warmUp(): void;
  close(): Promise<void>;
}

interface TeamView {
  role: SessionRole;
  controls: PolicyControls | undefined;
}

function teamView(configDir: string, identity: McpIdentity, log: (line: string) => void): TeamView {
  try {
    const member = findMember(loadTeam(configDir, identity.bundle), identity.session);
    if (member) return { role: member.role, controls: member.controls };
    log(`session ${identity.session} is not a member of bundle ${identity.bundle}; every tool will say so`);
  } catch (error) {
    log(`cannot read the team config: ${toAgentmuxError(error).message}`);
  }
  return { role: 'agent', controls: undefined };
}

/** The team primer for the MCP `instructions`, or undefined when the team config cannot be read. */
function primerOf(configDir: string, identity: McpIdentity): string | undefined {
  try {
    return teamPrimer(loadTeam(configDir, identity.bundle), identity.session);
  } catch {
    return undefined;
  }
}

function instructions(identity: McpIdentity | undefined, primer: string | undefined): string {
  if (primer !== undefined) {
    return `${primer}\nThe \`ask\` tool sends a question and waits (up to 30 s) for the answer; tool results end their first line with your unread count.`;
  }
  if (identity === undefined) {
    return 'agentmux MCP server without an identity: every tool explains how to set AGENTMUX_BUNDLE/AGENTMUX_SESSION.';
  }
  return (
    `agentmux: you are session "${identity.session}" of the team (bundle) "${identity.bundle}". ` +
    'Teammates and humans message you; their messages are also typed into your terminal between ' +
    '--agentmux-<id> lines. Use `list` to see the team, `send` to write (reply_to to answer a message), ' +
    '`inbox` to read unread mail, `thread`/`search` to see what became of messages. Tool results end ' +
    'their first line with your unread count.'
  );
}

/** Lists `look`/`raww` only where the policy grants them; unknown policy lists neither. */
function applyPolicy(screen: ScreenTools, controls: PolicyControls | undefined): void {
  for (const name of ['look', 'raww'] as const) {
    const scope = controls?.[name];
    const allowed = scope !== undefined && scope !== 'none';
    if (allowed === screen[name].enabled) continue;
    if (allowed) screen[name].enable();
    else screen[name].disable();
  }
}

/** Resolves who this server is and builds it; never throws for a missing identity. */
export function createAgentmuxMcp(options: McpHostOptions): AgentmuxMcp {
  const log = options.log ?? ((line: string) => void process.stderr.write(`agentmux mcp: ${line}\n`));
  const env = options.env ?? process.env;
  const resolution = resolveIdentity({
    env,
    flags: { bundle: options.flags.bundle, session: options.flags.session },
    cwd: options.cwd ?? process.cwd(),
    ancestors: options.ancestors ?? (() => procAncestors()),
    override: options.override ?? readOverride,
  });
  const refusal =
    resolution.identity === undefined
      ? undefined
      : untrustedConfigRoot(resolution.identity, env, options.flags.stateDirectory);
  // An untrusted config root: no identity to act for, so nothing connects or starts.
  const identity = refusal === undefined ? resolution.identity : undefined;
  const roots =
    identity === undefined
      ? undefined
      : resolveRoots(
          {
            ...((options.flags.configDirectory ?? identity.configDir) === undefined
              ? {}
              : { configDirectory: options.flags.configDirectory ?? identity.configDir }),
            ...((options.flags.stateDirectory ?? identity.stateDir) === undefined
              ? {}
              : { stateDirectory: options.flags.stateDirectory ?? identity.stateDir }),
          },
          env,
        );
  const primer = identity === undefined || roots === undefined ? undefined : primerOf(roots.configDir, identity);
  const mcp = new McpServer(
    { name: 'agentmux', version: options.version },
    { instructions: instructions(identity, primer) },
  );
  let acting: ActingSession | undefined;
  const context: ToolContext = {
    get acting() {
      return acting;
    },
    tried: resolution.tried,
    ...(refusal === undefined ? {} : { refusal }),
    inboxChanged: () => resource.changed(),
  };
  registerRosterTools(mcp, context);
  registerMailTools(mcp, context);
  registerAskTool(mcp, context);
  registerHistoryTools(mcp, context);
  const screen = registerScreenTools(mcp, context);
  const resource = registerInboxResource(mcp, () => context, log);

  if (refusal !== undefined) {
    log(`${refusal.message} (${refusal.hint})`);
    applyPolicy(screen, undefined);
  } else if (identity === undefined || roots === undefined) {
    log(`no identity; tried ${resolution.tried.map((t) => t.detail).join('; ')}`);
    applyPolicy(screen, undefined);
  } else {
    try {
      ensureStarterFiles(roots.configDir);
    } catch (error) {
      log(`cannot write starter files: ${toAgentmuxError(error).message}`);
    }
    const view = teamView(roots.configDir, identity, log);
    const base = { identity, role: view.role, configDir: roots.configDir, stateDir: roots.stateDir };
    const open =
      options.open ??
      ((who: typeof base, autoStart: boolean) =>
        openRelay({
          roots,
          identity: {
            bundle: who.identity.bundle,
            session: who.identity.session,
            role: who.role,
            ...(who.identity.credential === undefined ? {} : { credential: who.identity.credential }),
          },
          clientName: 'agentmux-mcp',
          clientVersion: options.version,
          autoStart,
          entryPoint: options.entryPoint,
          onSpawn: () => log(`starting the relay for bundle ${identity.bundle}`),
        }));
    const link = new RelayLink({
      open: (autoStart) => open(acting ?? base, autoStart),
      autoStart: options.autoStart,
      onInboxChanged: () => resource.changed(),
      // The policy may have changed while the relay was away; re-read it with each connect.
      onConnected: () => {
        if (acting === undefined) return;
        const fresh = teamView(roots.configDir, identity, () => undefined);
        acting = { ...acting, role: fresh.role, controls: fresh.controls ?? acting.controls };
        applyPolicy(screen, acting.controls);
      },
      watching: () => resource.watched(),
      log,
    });
    acting = { ...base, controls: view.controls, link };
    applyPolicy(screen, view.controls);
    log(`session ${identity.session} of bundle ${identity.bundle} (${view.role}; identity from ${identity.origin})`);
  }

  return {
    mcp,
    context,
    resolution,
    warmUp: () => {
      acting?.link
        .connect()
        .catch((error: unknown) => log(`relay not reachable yet: ${toAgentmuxError(error).message}`));
    },
    close: async () => {
      acting?.link.close();
      await mcp.close();
    },
  };
}
