// What every tool shares: the identity (or the record of why there is none), the relay link,
// and one runner that bounds each call by its stated timeout and turns failures into
// isError results, so no tool can hang or throw past the SDK.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { PolicyControls } from '../config/index.js';
import { AgentmuxError, toAgentmuxError } from '../core/errors.js';
import type { SessionRole } from '../core/protocol/index.js';
import { noIdentityError, type IdentityAttempt, type McpIdentity } from './identity.js';
import type { RelayLink } from './relay-link.js';
import { errorResult, okResult, type ToolOutcome } from './tool-result.js';

/** How long a tool that does not wait may take, connecting included. */
export const DEFAULT_TOOL_TIMEOUT_MS = 15_000;

/** The resolved session an MCP server acts for. */
export interface ActingSession {
  identity: McpIdentity;
  role: SessionRole;
  configDir: string;
  stateDir: string;
  /** The session's policy controls, when the team config could be read. */
  controls: PolicyControls | undefined;
  link: RelayLink;
}

/** Shared by every tool. */
export interface ToolContext {
  /** Undefined when no source named a session; `tried` says why. */
  readonly acting: ActingSession | undefined;
  readonly tried: readonly IdentityAttempt[];
  /** Set when the identity was refused (an untrusted config root): every tool returns it. */
  readonly refusal?: AgentmuxError;
  /** A tool changed the inbox (fetched or acked): tell resource subscribers. */
  inboxChanged(): void;
}

/** What a tool's work receives. */
export interface ToolRun {
  acting: ActingSession;
  signal: AbortSignal;
  /** Milliseconds left before the tool's deadline. */
  remainingMs(): number;
}

/**
 * Runs `work` with an AbortSignal that fires at the deadline (or when `outer` aborts); rejects
 * with relay_timeout at the deadline even if `work` ignores its signal.
 */
export async function withDeadline<T>(
  name: string,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal, remainingMs: () => number) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const deadline = Date.now() + timeoutMs;
  const onOuterAbort = (): void => controller.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new AgentmuxError('relay_timeout', `${name} did not finish within ${timeoutMs} ms`, {
          details: { tool: name, timeout_ms: timeoutMs },
        }),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal, () => Math.max(1, deadline - Date.now())), expired]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

/** Runs one tool call within `timeoutMs`; adds the unread count unless the work reports it. */
export async function runTool(
  context: ToolContext,
  name: string,
  options: { timeoutMs: number; signal?: AbortSignal },
  work: (run: ToolRun) => Promise<ToolOutcome & { unread?: number }>,
): Promise<CallToolResult> {
  const acting = context.acting;
  if (context.refusal !== undefined) return errorResult(context.refusal);
  if (acting === undefined) return errorResult(noIdentityError(context.tried));
  try {
    return await withDeadline(name, options.timeoutMs, options.signal, async (signal, remainingMs) => {
      const outcome = await work({ acting, signal, remainingMs });
      const unread = outcome.unread ?? (await acting.link.unread({ timeoutMs: remainingMs(), signal }));
      return okResult(outcome, unread);
    });
  } catch (error) {
    return errorResult(toAgentmuxError(error));
  }
}
