// One error catalogue for the whole program: every failure a user or a peer can see has a
// stable snake_case code, a message that says what to do, and optional structured details.

import { describeNativeAddonFailure } from './native-addon.js';

/** Every stable error code, with the hint shown to users when the message alone is not enough. */
export const ERROR_CATALOGUE = {
  // validation_*: the request or input is wrong; retrying the same thing will fail again.
  validation_invalid_params: 'check the arguments against `agentmux <command> --help`',
  validation_invalid_arguments: 'check the arguments against `agentmux <command> --help`',
  validation_invalid_frame: 'send one JSON-RPC 2.0 object per line',
  validation_frame_too_large: 'frames are limited to 1 MiB; send a smaller message',
  validation_body_too_large: 'message bodies are limited to 256 KiB; split the message',
  validation_unknown_method: 'see DESIGN.md "Wire protocol" for the list of methods',
  validation_missing_hello: 'send `hello` first to bind this connection to a session',
  validation_duplicate_hello: 'a connection is bound once; open a new connection for another identity',
  validation_unknown_session: 'run `agentmux list` to see the sessions of the bundle',
  validation_unknown_target: 'run `agentmux list` to see the sessions of the bundle',
  validation_unknown_host: "set AGENTMUX_HOST to one of the bundle's [[hosts]] ids (docs/multi-host.md)",
  validation_unknown_bundle: 'bundles are files in <config>/bundles/<bundle>.toml; pass --bundle',
  validation_unknown_policy: 'policies are defined in <config>/policies.toml',
  validation_unknown_message: 'run `agentmux history` to see message ids',
  validation_role_mismatch: 'the relay derives the role from the configuration; do not claim another',
  validation_protocol_version: 'upgrade agentmux so client and relay speak the same protocol',
  validation_empty_targets: 'name at least one --target, or use --broadcast',
  validation_conflicting_targets: 'use either --target or --broadcast, not both',
  validation_missing_message_input: 'pass --message TEXT or pipe the message on stdin',
  validation_empty_message: 'the message body is empty',
  validation_invalid_body: 'message bodies must be UTF-8 text without NUL bytes',
  validation_request_id_conflict: 'a request id names one message; use a new --request-id for a new message',
  validation_invalid_config: 'fix the file and run `agentmux check`',
  validation_duplicate_key: 'a key given twice in one object: merge the entries into one',
  validation_missing_subcommand: 'run `agentmux --help` to see the commands',
  validation_conflicting_selectors: 'pass either a bundle or --group, not both',
  validation_unknown_group: 'groups are listed in each bundle file as `groups = [...]`',
  validation_hop_limit: 'an operator must reply in the thread before agents can continue it',
  validation_invalid_search: 'check the FTS5 query syntax, or drop --fts to search for a phrase',
  validation_hooks_conflict: 'another notify program is configured; merge the printed snippet by hand',
  validation_unknown_permission: 'run `agentmux permissions` to see the pending permission requests',
  validation_session_exists: 'pick another session id, or remove the existing one with `agentmux rm`',
  validation_file_edited: 'the file was edited since agentmux wrote it; pass --force to overwrite it',
  validation_not_a_worktree_session: 'set `worktree = true` on the session (or the bundle) and run `agentmux up`',
  // git worktrees of agents
  validation_not_a_repository: 'worktree = true needs the session directory to be inside a git repository',
  runtime_git_failed: 'see the git error; agentmux left the repository as it was',
  validation_merge_refused: 'nothing was changed; resolve what is listed, then run `agentmux merge` again',
  // authorization
  authorization_forbidden: 'the policy of this session does not allow it; see policies.toml',
  authorization_unproven_identity:
    "run the command in the session's own pane (it carries AGENTMUX_TOKEN) or in your own shell, which reads the bundle's operator.key",
  authorization_untrusted_path:
    'agentmux only takes a configuration root from a repository or directory you trust: run `agentmux trust DIR`',
  // relay and runtime
  relay_unavailable: 'start agentmux host relay with matching --state-directory, or drop --no-autostart',
  relay_busy:
    'the relay is at a connection limit; close idle agentmux clients of this session (watch, dashboards) or retry shortly',
  relay_timeout: 'the relay did not answer in time; see `agentmux logs`',
  relay_already_running: 'another relay holds the runtime lock; use `agentmux relay status`',
  relay_startup_failed: 'see the relay log in the runtime directory',
  relay_shutting_down: 'the relay is stopping; retry once it is back',
  runtime_insecure_path: 'the runtime directory must be owned by you with mode 0700 (socket 0600)',
  runtime_socket_path_too_long: 'use a shorter --state-directory (Unix socket paths are limited)',
  runtime_io_failed: 'check permissions and free space of the state directory',
  runtime_journal_failed: 'the message journal could not be written; check disk space and permissions',
  runtime_native_addon_failed:
    'reinstall agentmux under the Node you run it with (`npm install -g agentmux`), or run `npm rebuild` in its package directory; building needs python3, make and a C++ compiler',
  runtime_journal_corrupt: 'the journal is damaged; move journal.db aside and restart the relay',
  runtime_target_unavailable: 'the target is not running; start it with `agentmux up`',
  runtime_tmux_failed: 'check that tmux is installed and the bundle server is running',
  internal_unexpected_failure: 'this is a bug; see the relay log and report it',
} as const satisfies Record<string, string>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/**
 * Why a delivery failed or went back to the queue; separate from error codes because they
 * describe outcomes (recorded in the journal, shown by `send --wait` and the dashboard).
 */
export const DELIVERY_FAILURE_REASONS = [
  /** tmux says the pane no longer exists. */
  'pane_gone',
  /** The pane never showed an empty prompt within the readiness timeout. */
  'not_ready_timeout',
  /** The text was typed but the submit could not be confirmed on the screen. */
  'submit_unconfirmed',
  /** An ACP agent's turn did not end in time. */
  'turn_timeout',
  /** The relay stopped or restarted during the delivery. */
  'interrupted',
  /** An ACP agent answered the prompt with an error. */
  'prompt_error',
  /** An ACP agent's turn was cancelled. */
  'cancelled',
  /** Not a failure: delivered to an ACP agent without prompting it (it answers an auto-reply). */
  'auto_reply_not_prompted',
] as const;
/** A reason from the list, or `stop_<reason>` for an ACP turn that stopped without finishing. */
export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number] | `stop_${string}`;

/** The error every layer throws and every surface (CLI, wire, MCP) renders. */
export class AgentmuxError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly hint: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentmuxError';
    this.code = code;
    this.details = options.details;
    this.hint = options.hint ?? ERROR_CATALOGUE[code];
  }
}

/** True when `code` is in the catalogue (used when decoding errors that crossed the wire). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code);
}

/** Wraps any thrown value as an AgentmuxError, keeping the original as `cause`. */
export function toAgentmuxError(error: unknown): AgentmuxError {
  if (error instanceof AgentmuxError) return error;
  const addon = describeNativeAddonFailure(error);
  if (addon) {
    return new AgentmuxError('runtime_native_addon_failed', addon.message, {
      details: addon.details,
      hint: addon.hint,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AgentmuxError('internal_unexpected_failure', message, { cause: error });
}

/** Process exit code for an error: 2 for argument errors, 1 for everything else. */
export function exitCodeFor(error: AgentmuxError): 1 | 2 {
  switch (error.code) {
    case 'validation_invalid_arguments':
    case 'validation_missing_message_input':
    case 'validation_missing_subcommand':
    case 'validation_conflicting_selectors':
    case 'validation_conflicting_targets':
    case 'validation_empty_targets':
      return 2;
    default:
      return 1;
  }
}
