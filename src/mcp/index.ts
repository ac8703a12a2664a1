// Public names of the MCP server (`agentmux host mcp`) and the client config snippets.
export { MCP_CLIENTS, MCP_SERVER_NAME, renderMcpConfig, serverArgs, snippetLines } from './client-config.js';
export type { McpClientKind, McpConfigInput, McpConfigSnippet } from './client-config.js';
export { codeToolError, sdkToolError, withCodedToolErrors } from './coded-errors.js';
export { IDENTITY_SOURCES, noIdentityError, resolveIdentity } from './identity.js';
export type { IdentityAttempt, IdentityInputs, IdentityResolution, IdentitySource, McpIdentity } from './identity.js';
export { INBOX_URI } from './inbox-resource.js';
export { OVERRIDE_RELATIVE_PATH, findWorktreeRoot, readOverride } from './override-file.js';
export type { OverrideLookup } from './override-file.js';
export { parentFromStat, parseEnviron, procAncestors } from './proc-ancestors.js';
export type { AncestorProcess } from './proc-ancestors.js';
export { RelayLink } from './relay-link.js';
export { createAgentmuxMcp } from './server.js';
export type { AgentmuxMcp, McpHostOptions } from './server.js';
export { serveMcpStdio } from './stdio.js';
export { DEFAULT_TOOL_TIMEOUT_MS } from './tool-context.js';
export { MCP_MAX_WAIT_MS } from './tools/mail-tools.js';
