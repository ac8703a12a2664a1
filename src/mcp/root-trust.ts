// A repository's override file may name the bundle and session an MCP server speaks as, but
// its `config_root` decides which agents (and so which commands) a relay starts: it only
// counts for a worktree the user trusts (`agentmux trust`). Otherwise every tool says so and
// nothing is started.
import { resolveRoots } from '../config/roots.js';
import { checkTrust } from '../config/trust.js';
import { AgentmuxError } from '../core/errors.js';
import type { McpIdentity } from './identity.js';

/** The refusal every tool returns when the identity's config root came from an untrusted worktree. */
export function untrustedConfigRoot(
  identity: McpIdentity,
  env: NodeJS.ProcessEnv,
  stateDirectory: string | undefined,
): AgentmuxError | undefined {
  if (identity.source !== 'override' || identity.configDir === undefined || identity.worktree === undefined) {
    return undefined;
  }
  const stateDir = resolveRoots(
    { configDirectory: '.', ...(stateDirectory === undefined ? {} : { stateDirectory }) },
    env,
  ).stateDir;
  const check = checkTrust(stateDir, identity.worktree);
  if (check.trusted) return undefined;
  return new AgentmuxError(
    'authorization_untrusted_path',
    `${identity.origin} sets config_root ${identity.configDir}, which is ignored: ${check.reason}; ` +
      'nothing was started',
    {
      details: { override: identity.origin, config_root: identity.configDir, worktree: identity.worktree },
      hint: `if you trust this repository, run \`agentmux trust ${identity.worktree}\` and restart the MCP server`,
    },
  );
}
