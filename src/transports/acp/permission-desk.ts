// Permission requests from ACP agents, held for operators instead of being cancelled: each
// waits for `permission.approve|deny`, or for the coder's permission-timeout-ms, after which
// its permission-default is applied. The first decision wins.
import type {
  PermissionOption as AcpOption,
  RequestPermissionRequest,
  RequestPermissionResponse,
} from '@agentclientprotocol/sdk';
import { rfc3339, type Clock } from '../../core/clock.js';
import { AgentmuxError } from '../../core/errors.js';
import type { IdFactory } from '../../core/ids.js';
import type { PermissionRequest, PermissionResolution } from '../../core/protocol/index.js';

/** One agent's question, as the worker hands it over. */
export interface PermissionAsk {
  session: string;
  request: RequestPermissionRequest;
  /** The message whose turn is asking, if any. */
  messageId: string | null;
  timeoutMs: number;
  /** What is chosen when nobody answers in time (coder `permission-default`). */
  fallback: 'reject' | 'allow';
  /** Aborted when the agent withdraws the request or its connection ends. */
  signal: AbortSignal;
}

export interface PermissionDeskOptions {
  clock: Clock;
  ids: IdFactory;
  /** A request is waiting (publish `permission.requested`). */
  onRequested?: (request: PermissionRequest) => void;
  /** A request was decided (publish `permission.resolved`). */
  onResolved?: (resolution: PermissionResolution, request: PermissionRequest) => void;
}

interface Pending {
  view: PermissionRequest;
  options: AcpOption[];
  settle: (resolution: PermissionResolution) => void;
}

/** The option an approval picks when none is named: allow once, else allow always. */
export function allowOption(options: readonly AcpOption[]): AcpOption | undefined {
  return options.find((o) => o.kind === 'allow_once') ?? options.find((o) => o.kind === 'allow_always');
}

/** The option a denial picks: reject once, else reject always (none: the request is cancelled). */
export function rejectOption(options: readonly AcpOption[]): AcpOption | undefined {
  return options.find((o) => o.kind === 'reject_once') ?? options.find((o) => o.kind === 'reject_always');
}

/** Pending permission requests of one relay. */
export class PermissionDesk {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: PermissionDeskOptions) {}

  /** Forwards an agent's request to operators; resolves with the answer the agent gets. */
  ask(ask: PermissionAsk): Promise<RequestPermissionResponse> {
    const { clock } = this.options;
    const now = clock.now();
    const view: PermissionRequest = {
      id: this.options.ids.next(),
      session: ask.session,
      title: ask.request.toolCall.title ?? ask.request.toolCall.toolCallId,
      options: ask.request.options.map((o) => ({ id: o.optionId, name: o.name, kind: o.kind })),
      requested_at: rfc3339(now),
      expires_at: rfc3339(now + ask.timeoutMs),
      message_id: ask.messageId,
      tool_call_id: ask.request.toolCall.toolCallId,
    };
    return new Promise((resolve) => {
      const onAbort = (): void => this.cancel(view.id, 'relay');
      const timer = clock.setTimeout(() => {
        const chosen = ask.fallback === 'allow' ? allowOption(ask.request.options) : rejectOption(ask.request.options);
        this.decide(view.id, chosen?.optionId ?? null, 'timeout');
      }, ask.timeoutMs);
      this.pending.set(view.id, {
        view,
        options: ask.request.options,
        settle: (resolution) => {
          timer.cancel();
          ask.signal.removeEventListener('abort', onAbort);
          resolve(
            resolution.outcome === 'selected' && resolution.option !== null
              ? { outcome: { outcome: 'selected', optionId: resolution.option } }
              : { outcome: { outcome: 'cancelled' } },
          );
        },
      });
      this.options.onRequested?.(view);
      if (ask.signal.aborted) onAbort();
      else ask.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Requests still waiting, oldest first (optionally of one session). */
  list(session?: string): PermissionRequest[] {
    return [...this.pending.values()].map((p) => p.view).filter((v) => session === undefined || v.session === session);
  }

  /** The session a pending request belongs to (for authorization before deciding). */
  sessionOf(id: string): string {
    return this.get(id).view.session;
  }

  /** Chooses `option`, or the first allow option. */
  approve(id: string, option: string | undefined, by: string): PermissionResolution {
    const pending = this.get(id);
    const chosen =
      option === undefined ? allowOption(pending.options) : pending.options.find((o) => o.optionId === option);
    if (!chosen) {
      throw new AgentmuxError(
        'validation_invalid_params',
        option === undefined
          ? `permission ${id} offers no allow option; name one with --option`
          : `permission ${id} has no option ${option}`,
        { details: { id, options: pending.view.options } },
      );
    }
    return this.decide(id, chosen.optionId, by);
  }

  /** Chooses the reject option, or cancels the request when the agent offered none. */
  deny(id: string, by: string): PermissionResolution {
    const pending = this.get(id);
    return this.decide(id, rejectOption(pending.options)?.optionId ?? null, by);
  }

  /** Cancels every request of `session` (its turn ended or its worker went away). */
  cancelSession(session: string): void {
    for (const view of this.list(session)) this.cancel(view.id, 'relay');
  }

  /** Cancels everything (relay shutdown). */
  close(): void {
    for (const id of [...this.pending.keys()]) this.cancel(id, 'relay');
  }

  private cancel(id: string, by: string): void {
    if (this.pending.has(id)) this.decide(id, null, by);
  }

  private decide(id: string, option: string | null, by: string): PermissionResolution {
    const pending = this.get(id);
    this.pending.delete(id);
    const resolution: PermissionResolution = {
      id,
      session: pending.view.session,
      outcome: option === null ? 'cancelled' : 'selected',
      option,
      decided_by: by,
      resolved_at: rfc3339(this.options.clock.now()),
    };
    pending.settle(resolution);
    this.options.onResolved?.(resolution, pending.view);
    return resolution;
  }

  private get(id: string): Pending {
    const pending = this.pending.get(id);
    if (!pending) {
      throw new AgentmuxError('validation_unknown_permission', `no pending permission request ${id}`, {
        details: { id },
      });
    }
    return pending;
  }
}
