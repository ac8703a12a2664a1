// Resolved, camelCase configuration as the rest of the program sees it. The zod schemas in
// ./schemas parse the kebab-case TOML files into exactly these shapes.

/** How far a policy control reaches: nobody, oneself, the own bundle, or every bundle. */
export type Scope = 'none' | 'self' | 'all:home' | 'all:all';

/** Every scope, weakest first (the order is the rank used by authorization). */
export const SCOPES = ['none', 'self', 'all:home', 'all:all'] as const satisfies readonly Scope[];

/** What one participant may do; each control is a scope. */
export interface PolicyControls {
  find: Scope;
  list: Scope;
  look: Scope;
  send: Scope;
  raww: Scope;
  lifecycle: Scope;
  grant: Scope;
  history: Scope;
}

/** The names of the controls, in file order. */
export type ControlName = keyof PolicyControls;

/** One environment variable given to a coder's process. */
export interface EnvVar {
  name: string;
  value: string;
}

/** Which readiness detector reads a tmux coder's screen. */
export type DetectorKind = 'generic' | 'claude' | 'codex' | 'gemini';

/** Which hook client a tmux coder reports through. */
export type HookClient = 'claude' | 'codex' | 'gemini';

/** A terminal program run in a tmux pane and reached by typing into it. */
export interface TmuxCoder {
  kind: 'tmux';
  id: string;
  description?: string;
  /** Added to the team primer of agents running this coder. */
  primer?: string;
  initialCommand: string;
  /** May contain `{coder-session-id}`, the only placeholder. */
  resumeCommand?: string;
  promptRegex?: RegExp;
  /** Lines from the bottom that prompt and empty-composer rules see; default 3. */
  promptInspectLines: number;
  promptIdleColumn?: number;
  /** Default 750. */
  quietWindowMs: number;
  busyRegex?: RegExp;
  waitingRegex?: RegExp;
  emptyComposerRegex?: RegExp;
  /** Default 150. */
  submitDelayMs: number;
  /** Default 2. */
  submitRetries: number;
  clearKeys?: string[];
  /**
   * With `paste = false`: tmux keys that put a line break into the composer (e.g. ["C-j"]).
   * Unset: line breaks are typed as " ⏎ ", so a body's newline never presses Enter.
   */
  newlineKeys?: string[];
  /** Default true: paste-buffer; false: send-keys -l. */
  paste: boolean;
  deliveryTimeoutMs?: number;
  /** Default 10000. */
  attemptTimeoutMs: number;
  /** Default 30000. */
  hookStaleMs: number;
  /** Default 'generic'. */
  detector: DetectorKind;
  environment: EnvVar[];
  hooks?: HookClient;
}

/** An Agent Client Protocol agent run as a child process of the relay. */
export interface AcpCoder {
  kind: 'acp';
  id: string;
  description?: string;
  /** Added to the team primer of agents running this coder. */
  primer?: string;
  channel: 'stdio';
  command: string;
  environment: EnvVar[];
  /** Default 600000. */
  turnTimeoutMs: number;
  /** Default 300000. */
  permissionTimeoutMs: number;
  /** Default 'reject'. */
  permissionDefault: 'reject' | 'allow';
}

/** A launch profile from coders.toml. */
export type Coder = TmuxCoder | AcpCoder;

/** One `[[sessions]]` entry of a bundle file. */
export interface AgentSessionConfig {
  id: string;
  name?: string;
  description?: string;
  /** Absolute: `~` expanded, relative paths resolved against the config directory. */
  directory: string;
  /** Absent: a socket-only participant (an SDK client). */
  coder?: string;
  coderSessionId?: string;
  policy?: string;
  /** Work in a git worktree of `directory` on branch `agentmux/<id>` (session key, else the bundle's). */
  worktree?: boolean;
  /** The branch (or commit) the worktree starts from and merges into; default: the repo's HEAD branch. */
  base?: string;
  /** Sessions whose transitions this one is told about (`"*"`: every other agent). */
  supervise?: string[];
  /** The `[[hosts]]` id of the machine this session runs on; absent: the host running the relay. */
  host?: string;
}

/** One `[[hosts]]` entry: a machine of a multi-host bundle and its local NATS leaf server. */
export interface HostConfig {
  id: string;
  /** The leaf server's client URL as that host's relay reaches it (`nats://127.0.0.1:4222`). */
  nats: string;
}

/** One bundles/<id>.toml file. */
export interface BundleConfig {
  id: string;
  /** Absolute path of the file it was read from. */
  file: string;
  autostart: boolean;
  groups: string[];
  description?: string;
  /** Text added to every agent's team primer (orchestration.md). */
  primer?: string;
  sessions: AgentSessionConfig[];
  /** Absolute root for agent worktrees (`<root>/<bundle>/<session>`); default under the state root. */
  worktreeRoot?: string;
  /** Untracked paths copied (directories: symlinked) into a new worktree; default DEFAULT_WORKTREE_INCLUDE. */
  worktreeInclude?: string[];
  /** Machines of a multi-host bundle (docs/multi-host.md); absent: a single-host bundle. */
  hosts?: HostConfig[];
}

/** One `[[policies]]` entry of policies.toml. */
export interface PolicyPreset {
  id: string;
  description?: string;
  /** Declared controls over the agent built-in; members resolve through `declared` instead. */
  controls: PolicyControls;
  /** Only the controls the file names; a member fills the rest from its role's built-in. */
  declared: Partial<PolicyControls>;
  /** `[policies.controls.do]`: action id to scope (parsed and validated, reserved). */
  actions: Map<string, Scope>;
}

/** policies.toml. */
export interface PoliciesConfig {
  defaultId?: string;
  presets: Map<string, PolicyPreset>;
}

/** One tui.toml `[[sessions]]` entry: a human participant of every bundle. */
export interface OperatorConfig {
  id: string;
  name?: string;
  policy?: string;
}

/** tui.toml. */
export interface TuiConfig {
  defaultBundle?: string;
  defaultSession?: string;
  /** tmux key that returns from an attached pane to the dashboard; default 'C-q'. */
  detachKey: string;
  operators: OperatorConfig[];
}

/** Whether a member is an agent (from a bundle) or a human operator (from tui.toml). */
export type MemberRole = 'agent' | 'operator';

/** How the relay reaches a member. */
export type MemberTransport = 'tmux' | 'acp' | 'socket';

/** A participant of a bundle with everything resolved. */
export interface Member {
  id: string;
  name?: string;
  description?: string;
  role: MemberRole;
  transport: MemberTransport;
  coder?: Coder;
  session?: AgentSessionConfig;
  controls: PolicyControls;
  /** Multi-host bundles: the other host this session lives on (its relay reaches it through the bridge). */
  remoteHost?: string;
}

/** One bundle with every file it depends on, resolved and cross-checked. */
export interface Team {
  configDir: string;
  bundle: BundleConfig;
  coders: Map<string, Coder>;
  policies: PoliciesConfig;
  tui: TuiConfig;
  /** Agents in file order, then operators. */
  members: Member[];
}
