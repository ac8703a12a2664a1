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
