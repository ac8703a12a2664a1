// The one place that reads who a process speaks as from flags, the AGENTMUX_* environment and
// defaults (CLI, fast path, hook and MCP server all use it). Deliberately light: node only, no
// schema layer, because `agentmux send` and `agentmux hook` run it on their fast paths.

/** The environment variables that carry an agent's identity into its pane or worker. */
export const IDENTITY_VARIABLES = {
  bundle: 'AGENTMUX_BUNDLE',
  session: 'AGENTMUX_SESSION',
  /** The per-session credential the relay hands to an agent's pane or worker (never on a command line). */
  credential: 'AGENTMUX_TOKEN',
  configDir: 'AGENTMUX_CONFIG_DIR',
  stateDir: 'AGENTMUX_STATE_DIR',
} as const;

/** A trimmed value, or undefined when absent or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** What one environment says about identity; every field is optional. */
export interface EnvIdentity {
  bundle?: string;
  session?: string;
  credential?: string;
  configDir?: string;
  stateDir?: string;
}

/** Reads the AGENTMUX_* identity variables of `env` (blank values count as absent). */
export function identityFromEnv(env: Readonly<Record<string, string | undefined>>): EnvIdentity {
  const found: EnvIdentity = {};
  for (const key of Object.keys(IDENTITY_VARIABLES) as (keyof EnvIdentity)[]) {
    const value = nonEmpty(env[IDENTITY_VARIABLES[key]]);
    if (value !== undefined) found[key] = value;
  }
  return found;
}

/** True when `env` names a bundle or a session at all (even blank: an explicit opt-out). */
export function envNamesIdentity(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[IDENTITY_VARIABLES.bundle] !== undefined || env[IDENTITY_VARIABLES.session] !== undefined;
}

/** Bundle and session of a command: flag, then environment, then (lazily) the tui.toml defaults. */
export function resolveCommandIdentity(input: {
  flags: { bundle?: string | undefined; session?: string | undefined };
  env: Readonly<Record<string, string | undefined>>;
  defaults?: () => { bundle?: string | undefined; session?: string | undefined };
}): { bundle?: string; session?: string; credential?: string } {
  const env = identityFromEnv(input.env);
  let defaults: { bundle?: string | undefined; session?: string | undefined } | undefined;
  const fallback = (): { bundle?: string | undefined; session?: string | undefined } =>
    (defaults ??= input.defaults?.() ?? {});
  const bundle = nonEmpty(input.flags.bundle) ?? env.bundle ?? nonEmpty(fallback().bundle);
  const session = nonEmpty(input.flags.session) ?? env.session ?? nonEmpty(fallback().session);
  return {
    ...(bundle === undefined ? {} : { bundle }),
    ...(session === undefined ? {} : { session }),
    ...(env.credential === undefined ? {} : { credential: env.credential }),
  };
}
