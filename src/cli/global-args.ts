// Flags every command accepts, and the yargs type they give each handler.

/** Global flags (see `agentmux --help`). */
export interface GlobalArgs {
  'config-directory'?: string | undefined;
  'state-directory'?: string | undefined;
  bundle?: string | undefined;
  'as-session'?: string | undefined;
  json: boolean;
  autostart: boolean;
}

/** The global flags for node:util's parseArgs, for the fast paths that skip yargs. */
export const GLOBAL_OPTIONS = {
  'config-directory': { type: 'string' },
  'state-directory': { type: 'string' },
  bundle: { type: 'string', short: 'b' },
  'as-session': { type: 'string' },
  json: { type: 'boolean' },
  autostart: { type: 'boolean' },
} as const;

/** Splits `--no-autostart` out, because node:util on Node 20 has no negated booleans. */
export function withoutNegations(args: string[]): { args: string[]; autostart: boolean } {
  const rest = args.filter((arg) => arg !== '--no-autostart');
  return { args: rest, autostart: rest.length === args.length };
}
