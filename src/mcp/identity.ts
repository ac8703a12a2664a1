// Who an MCP server speaks as (Settled 23): AGENTMUX_BUNDLE/_SESSION, else the nearest
// ancestor process whose environment has both (Codex passes MCP servers a whitelist only),
// else --bundle/--as-session, else the worktree's overrides/mcp.toml. Each source must give
// both ids; the first complete one wins and the others are kept as the record of what was tried.
import { envNamesIdentity, identityFromEnv, nonEmpty } from '../config/identity.js';
import { AgentmuxError } from '../core/errors.js';
import { isBundleId, isSessionId } from '../core/ids.js';
import type { OverrideLookup } from './override-file.js';
import type { AncestorProcess } from './proc-ancestors.js';

/** Where an identity can come from, in the order they are tried. */
export type IdentitySource = 'env' | 'ancestor' | 'flags' | 'override';

/** The sources in resolution order. */
export const IDENTITY_SOURCES: readonly IdentitySource[] = ['env', 'ancestor', 'flags', 'override'];

/** A resolved identity, with the roots its source implies (flags and env still override them). */
export interface McpIdentity {
  bundle: string;
  session: string;
  source: IdentitySource;
  /** Where exactly: `environment`, `process 123 (codex)`, `--bundle/--as-session`, a file path. */
  origin: string;
  configDir?: string;
  stateDir?: string;
  /** The pane's AGENTMUX_TOKEN (env and ancestor sources only). */
  credential?: string;
  /** The git worktree whose override file named this identity (override source only). */
  worktree?: string;
}

/** One source that was looked at, and why it did or did not give the identity. */
export interface IdentityAttempt {
  source: IdentitySource;
  detail: string;
}

/** The outcome: an identity (or none) plus every source tried, in order. */
export interface IdentityResolution {
  identity: McpIdentity | undefined;
  tried: IdentityAttempt[];
}

/** What the resolver reads; injected so tests need no real processes or files. */
export interface IdentityInputs {
  env: NodeJS.ProcessEnv;
  flags: { bundle?: string | undefined; session?: string | undefined };
  cwd: string;
  /** Ancestors of this process, nearest first. */
  ancestors: () => Iterable<AncestorProcess>;
  /** The worktree override file seen from `cwd`. */
  override: (cwd: string) => OverrideLookup;
}

type Candidate = { ok: true; identity: McpIdentity } | { ok: false; detail: string };

function pair(
  source: IdentitySource,
  origin: string,
  bundle: string | undefined,
  session: string | undefined,
  names: [string, string],
  roots: { configDir?: string | undefined; stateDir?: string | undefined; credential?: string | undefined } = {},
): Candidate {
  const b = nonEmpty(bundle);
  const s = nonEmpty(session);
  if (b === undefined && s === undefined) return { ok: false, detail: `${origin}: neither ${names.join(' nor ')}` };
  if (b === undefined) return { ok: false, detail: `${origin}: ${names[1]}=${s} but no ${names[0]}` };
  if (s === undefined) return { ok: false, detail: `${origin}: ${names[0]}=${b} but no ${names[1]}` };
  if (!isBundleId(b)) return { ok: false, detail: `${origin}: ${names[0]}=${b} is not a valid bundle id` };
  if (!isSessionId(s)) return { ok: false, detail: `${origin}: ${names[1]}=${s} is not a valid session id` };
  const identity: McpIdentity = { bundle: b, session: s, source, origin };
  const configDir = nonEmpty(roots.configDir);
  const stateDir = nonEmpty(roots.stateDir);
  if (configDir !== undefined) identity.configDir = configDir;
  if (stateDir !== undefined) identity.stateDir = stateDir;
  const credential = nonEmpty(roots.credential);
  if (credential !== undefined) identity.credential = credential;
  return { ok: true, identity };
}

const ENV_NAMES: [string, string] = ['AGENTMUX_BUNDLE', 'AGENTMUX_SESSION'];

function fromEnv(inputs: IdentityInputs): Candidate {
  const env = identityFromEnv(inputs.env);
  return pair('env', 'environment', env.bundle, env.session, ENV_NAMES, { credential: env.credential });
}

function fromAncestors(inputs: IdentityInputs): Candidate {
  let looked = 0;
  for (const process of inputs.ancestors()) {
    looked += 1;
    if (process.env === undefined || !envNamesIdentity(process.env)) continue;
    const env = identityFromEnv(process.env);
    const origin = `process ${process.pid}${process.name ? ` (${process.name})` : ''}`;
    // The nearest ancestor that names either decides; a half-set or emptied one is reported,
    // not skipped, so `AGENTMUX_SESSION= codex` in a pane keeps the pane's identity out.
    return pair('ancestor', origin, env.bundle, env.session, ENV_NAMES, env);
  }
  return { ok: false, detail: `no ancestor process (of ${looked} readable) has AGENTMUX_BUNDLE and AGENTMUX_SESSION` };
}

function fromFlags(inputs: IdentityInputs): Candidate {
  return pair('flags', 'flags', inputs.flags.bundle, inputs.flags.session, ['--bundle', '--as-session']);
}

function fromOverride(inputs: IdentityInputs): Candidate {
  const found = inputs.override(inputs.cwd);
  switch (found.kind) {
    case 'absent':
      return { ok: false, detail: found.detail };
    case 'invalid':
      return { ok: false, detail: `${found.file}: ${found.problem}` };
    case 'found': {
      const candidate = pair('override', found.file, found.bundle, found.session, ['bundle_name', 'session_name'], {
        configDir: found.configRoot,
      });
      if (candidate.ok) candidate.identity.worktree = found.root;
      return candidate;
    }
  }
}

const RESOLVERS: Record<IdentitySource, (inputs: IdentityInputs) => Candidate> = {
  env: fromEnv,
  ancestor: fromAncestors,
  flags: fromFlags,
  override: fromOverride,
};

/** Tries each source in order; stops at the first that gives a valid bundle and session. */
export function resolveIdentity(inputs: IdentityInputs): IdentityResolution {
  const tried: IdentityAttempt[] = [];
  for (const source of IDENTITY_SOURCES) {
    const candidate = RESOLVERS[source](inputs);
    if (candidate.ok) {
      tried.push({
        source,
        detail: `${candidate.identity.origin}: ${candidate.identity.bundle}/${candidate.identity.session}`,
      });
      return { identity: candidate.identity, tried };
    }
    tried.push({ source, detail: candidate.detail });
  }
  return { identity: undefined, tried };
}

/** The error every tool returns when no source named a session. */
export function noIdentityError(tried: readonly IdentityAttempt[]): AgentmuxError {
  return new AgentmuxError(
    'validation_unknown_session',
    `this MCP server does not know which agentmux session it is; tried: ${tried.map((t) => t.detail).join('; ')}`,
    {
      details: { tried },
      hint:
        'start the agent with `agentmux up` (sets AGENTMUX_BUNDLE and AGENTMUX_SESSION), pass ' +
        '`host mcp --bundle B --as-session S`, or write bundle_name and session_name to ' +
        '.auxiliary/configuration/agentmux/overrides/mcp.toml in the worktree',
    },
  );
}
