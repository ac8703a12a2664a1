// Settings the spawner gives the relay process alone: what a process reads only while it starts
// (glibc's malloc thresholds, V8's heap flags in NODE_OPTIONS, the NODE_EXTRA_CA_CERTS file
// node parses) must be in the relay's environment when it is spawned, but the tmux server,
// panes, agents and workers the relay starts must get the caller's environment. The spawner
// records the caller's value of every variable it changed in one variable; the relay restores
// them all as it starts (`restoreCallerEnv`).

/** The caller's values (JSON; null: it was not set) of the variables changed for the relay. */
const CALLER_VALUES_VARIABLE = 'AGENTMUX_RELAY_CALLER_ENV';

/** What the last `restoreCallerEnv` of this process gave back. */
let restored: Readonly<Record<string, string | null>> = {};

function callerValues(env: NodeJS.ProcessEnv): Record<string, string | null> {
  const raw = env[CALLER_VALUES_VARIABLE];
  if (raw === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const values: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value === 'string' || value === null) values[name] = value;
    }
    return values;
  } catch {
    return {};
  }
}

/**
 * `env` with `changes` (a value sets, undefined removes) for the relay process only; the
 * caller's value of each is recorded, once, for `restoreCallerEnv`. `env` is not modified.
 */
export function withRelayOnly(
  env: NodeJS.ProcessEnv,
  changes: Readonly<Record<string, string | undefined>>,
): NodeJS.ProcessEnv {
  const caller = callerValues(env);
  const next: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(changes)) {
    if (!(name in caller)) caller[name] = env[name] ?? null;
    if (value === undefined) delete next[name];
    else next[name] = value;
  }
  next[CALLER_VALUES_VARIABLE] = JSON.stringify(caller);
  return next;
}

/**
 * In the relay: gives `env` the caller's values back (the relay itself already started with
 * its own, which is all they were for) and returns them.
 */
export function restoreCallerEnv(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string | null>> {
  const caller = callerValues(env);
  if (env[CALLER_VALUES_VARIABLE] === undefined) return {};
  delete env[CALLER_VALUES_VARIABLE];
  for (const [name, value] of Object.entries(caller)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  restored = caller;
  return caller;
}

/** The caller's value of `name` if this process started with it changed (see restoreCallerEnv). */
export function callerValueRestored(name: string): string | null | undefined {
  return restored[name];
}
