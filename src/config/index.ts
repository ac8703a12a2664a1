// Public surface of src/config: roots, loaders, resolved types, starter files and `check`.
export { checkConfig } from './check.js';
export type { CheckOptions } from './check.js';
export {
  bundleFile,
  CONFIG_FILES,
  configFile,
  listBundleIds,
  loadBundle,
  loadCoders,
  loadPolicies,
  loadTui,
} from './load.js';
export { AGENT_DEFAULT_CONTROLS, builtInControls, OPERATOR_DEFAULT_CONTROLS, resolveMemberControls } from './policy.js';
export { CODER_PRESETS } from './presets.js';
export type { CoderPreset } from './presets.js';
export type { ConfigProblem } from './problems.js';
export { commandProgram, findProgram } from './program.js';
export { compileRuleRegex } from './regex.js';
export { renderCodersToml } from './render-toml.js';
export { assertSafeRoot } from './root-safety.js';
export type { RootLabel } from './root-safety.js';
export { resolveRoots } from './roots.js';
export type { RootOptions, Roots } from './roots.js';
export { ACP_DEFAULTS, CODER_SESSION_PLACEHOLDER, TMUX_DEFAULTS } from './schemas/coders.js';
export type { CoderEntryInput } from './schemas/coders.js';
export { DEFAULT_WORKTREE_INCLUDE } from './schemas/bundle.js';
export { DEFAULT_DETACH_KEY } from './schemas/tui.js';
export { ensureStarterFiles, STARTER_BUNDLE_ID, STARTER_OPERATOR_ID } from './starter.js';
export { findMember, loadTeam } from './team.js';
export { describeTeamChanges } from './team-diff.js';
export { teamPrimer } from './primer.js';
export { SCOPES } from './types.js';
export type {
  AcpCoder,
  AgentSessionConfig,
  BundleConfig,
  Coder,
  ControlName,
  DetectorKind,
  EnvVar,
  HookClient,
  Member,
  MemberRole,
  MemberTransport,
  OperatorConfig,
  PoliciesConfig,
  PolicyControls,
  PolicyPreset,
  Scope,
  TmuxCoder,
  Team,
  TuiConfig,
} from './types.js';
