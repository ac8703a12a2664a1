// One ACP session's worker: starts the agent, opens (or reloads) its ACP session, runs one
// prompt turn at a time, forwards permission requests, and restarts an agent that exits or
// breaks the protocol, with backoff, reporting every step as the session's state.
import type { RequestPermissionRequest, RequestPermissionResponse } from '@agentclientprotocol/sdk';
import type { AcpCoder } from '../../config/index.js';
import type { Clock } from '../../core/clock.js';
import type { SessionState } from '../../core/protocol/index.js';
import type { AcpPeer, LaunchPeer, PeerHandlers } from './acp-peer.js';
import type { PermissionDesk } from './permission-desk.js';
import { PromptTurn, type TurnEnd } from './prompt-turn.js';
import { openSession, withDeadline } from './session-open.js';
import { StderrTap } from './stderr-tap.js';
import { Transcript, contentText } from './transcript.js';
import { SerialQueue, Waiters } from './worker-sync.js';
import { describeTurnEnd, sessionStateOf, type WorkerPhase } from './worker-state.js';

/** Bound on `initialize` plus `session/new|load` (agents started through npx can be slow). */
export const SESSION_OPEN_TIMEOUT_MS = 60_000;
/** Restart delays: doubling from the first to the last. */
export const RESTART_BACKOFF = { initialMs: 500, maxMs: 30_000 } as const;
/** An agent that stayed up this long restarts with the shortest delay again. */
export const BACKOFF_RESET_MS = 60_000;

/** How to start the agent this time. */
export interface WorkerLaunch {
  argv: string[];
  env: Record<string, string>;
  /** AGENTMUX_INSTANCE of this start (finds its processes when it is stopped). */
  instance: string;
  /** Open a new ACP session even if one is recorded (`up --fresh`). */
  fresh: boolean;
}

/** What a prompt turn came to, with the agent's streamed answer. */
export type TurnReport = (TurnEnd | { kind: 'unavailable' } | { kind: 'interrupted' }) & { text: string };

type Log = (level: 'info' | 'warn', event: string, details: Record<string, unknown>) => void;

export interface AcpWorkerOptions {
  session: string;
  coder: AcpCoder;
  cwd: string;
  clock: Clock;
  launch: LaunchPeer;
  clientVersion: string;
  permissions: PermissionDesk;
  /** The bundle's `coder-session-id` for this session, if configured. */
  configuredSessionId: string | undefined;
  /** The ACP session id recorded for this session, and how to record a new one. */
  sessionIds: { get(): string | undefined; set(id: string): void };
  /** Ends the processes of one agent start (its tree plus its instance marker); returns pids. */
  endProcesses: (pid: number | undefined, instance: string) => Promise<number[]>;
  log: Log;
  onStatus: (state: SessionState, reason: string | null) => void;
  /** The worker can take a prompt now. */
  onReady: () => void;
}

/** One agent process at a time for one ACP session. */
export class AcpWorker {
  readonly transcript = new Transcript();
  private current: WorkerPhase = 'stopped';
  private reason: string | null = null;
  private generation = 0;
  private spec: WorkerLaunch | undefined;
  private peer: AcpPeer | undefined;
  private sessionId: string | undefined;
  private turn: { turn: PromptTurn; messageId: string | null } | undefined;
  private waitingPermissions = 0;
  private readonly turns = new SerialQueue();
  private restart: { cancel(): void } | undefined;
  private backoffMs: number = RESTART_BACKOFF.initialMs;
  private readyAt = 0;
  private everReady = false;
  private readonly phaseWaiters: Waiters;

  constructor(private readonly options: AcpWorkerOptions) {
    this.phaseWaiters = new Waiters(options.clock);
  }

  get phase(): WorkerPhase {
    return this.current;
  }

  /** True while an agent runs, starts, or waits to be restarted. */
  get running(): boolean {
    return this.current !== 'stopped' && (this.current !== 'failed' || this.restart !== undefined);
  }

  /** Starts the agent; resolves once it is ready, failed for good, or after `waitMs`. */
  async start(spec: WorkerLaunch, waitMs: number): Promise<{ phase: WorkerPhase; reason: string | null }> {
    this.spec = { ...spec };
    this.everReady = false;
    this.backoffMs = RESTART_BACKOFF.initialMs;
    void this.launch();
    if (this.current === 'starting') await this.phaseWaiters.wait(waitMs);
    return { phase: this.current, reason: this.reason };
  }

  /** The agent process of the current start and its instance marker, while it runs. */
  get processRoot(): { pid: number; instance: string } | undefined {
    const pid = this.peer?.pid;
    return pid === undefined || this.spec === undefined ? undefined : { pid, instance: this.spec.instance };
  }

  /** Stops the agent until the next start; returns the pids that were signalled. */
  async stop(): Promise<number[]> {
    this.generation += 1;
    this.restart?.cancel();
    this.restart = undefined;
    const peer = this.detach();
    const wasRunning = this.current !== 'stopped';
    this.setPhase('stopped', null);
    if (wasRunning) this.transcript.note('agent stopped');
    return this.spec && wasRunning ? this.options.endProcesses(peer?.pid, this.spec.instance) : [];
  }

  /** Runs one prompt turn (after any turn in progress); `onStart` fires when it really starts. */
  prompt(text: string, messageId: string | null, signal: AbortSignal, onStart?: () => void): Promise<TurnReport> {
    return this.turns.run(async () => {
      const peer = this.peer;
      const sessionId = this.sessionId;
      const generation = this.generation;
      if (this.current !== 'ready' || !peer || !sessionId) return { kind: 'unavailable', text: '' };
      const turn = new PromptTurn({ clock: this.options.clock, timeoutMs: this.options.coder.turnTimeoutMs });
      this.turn = { turn, messageId };
      this.setPhase('busy', null);
      this.transcript.prompt(text);
      onStart?.();
      const end = await turn.run(
        () => peer.prompt(sessionId, text),
        () => this.cancelTurn(),
        signal,
      );
      this.turn = undefined;
      this.options.permissions.cancelSession(this.options.session);
      // An agent that died mid-turn is failed (and restarted) by its exit handler.
      if (generation !== this.generation || peer.closed) return { kind: 'interrupted', text: turn.text };
      this.transcript.note(`turn ended: ${describeTurnEnd(end)}`);
      if (end.kind === 'timeout' && !end.settled) {
        this.fail('the agent did not answer session/cancel after the turn timed out', generation);
      } else if ((this.current as WorkerPhase) === 'busy') {
        this.readyAgain();
      }
      return { ...end, text: turn.text };
    });
  }

  /** Sends `session/cancel` for the turn in progress (its permission requests end as cancelled). */
  cancelTurn(): boolean {
    if (!this.turn || !this.peer || !this.sessionId) return false;
    this.options.permissions.cancelSession(this.options.session);
    this.peer.cancel(this.sessionId);
    return true;
  }

  private async launch(): Promise<void> {
    const generation = ++this.generation;
    const spec = this.spec;
    if (!spec) return;
    this.restart = undefined;
    this.setPhase('starting', null);
    const stderr = new StderrTap(this.options.session, this.options.log);
    let peer: AcpPeer | undefined;
    try {
      peer = await this.options.launch(
        { argv: spec.argv, cwd: this.options.cwd, env: spec.env, clientVersion: this.options.clientVersion },
        this.handlers(generation, stderr),
      );
      if (generation !== this.generation) {
        peer.close();
        await this.options.endProcesses(peer.pid, spec.instance);
        return;
      }
      this.peer = peer;
      const sessionId = await withDeadline(
        this.options.clock,
        openSession(peer, {
          cwd: this.options.cwd,
          wanted: spec.fresh ? undefined : (this.options.configuredSessionId ?? this.options.sessionIds.get()),
          onResumeFailed: (id, reason) => {
            this.options.log('warn', 'acp.session_load_failed', {
              session: this.options.session,
              acp_session: id,
              reason,
            });
            this.transcript.note(`could not resume ACP session ${id} (${reason}); starting a new one`);
          },
        }),
        SESSION_OPEN_TIMEOUT_MS,
        'initialize and session setup',
      );
      if (generation !== this.generation) return;
      this.sessionId = sessionId;
      this.options.sessionIds.set(sessionId);
      spec.fresh = false;
      this.everReady = true;
      this.readyAt = this.options.clock.now();
      this.options.log('info', 'acp.worker_ready', {
        session: this.options.session,
        agent_pid: peer.pid,
        acp_session: sessionId,
      });
      this.transcript.note(`agent ready (pid ${peer.pid ?? '?'}, ACP session ${sessionId})`);
      this.readyAgain();
    } catch (error) {
      // An agent that died while starting is reported by its exit handler, with its exit status.
      if (peer?.closed) return;
      this.fail(
        stderr.explain(`could not start: ${error instanceof Error ? error.message : String(error)}`),
        generation,
      );
    }
  }

  private handlers(generation: number, stderr: StderrTap): PeerHandlers {
    const current = (): boolean => generation === this.generation;
    return {
      onUpdate: (notification) => {
        if (!current() || (this.sessionId !== undefined && notification.sessionId !== this.sessionId)) return;
        const update = notification.update;
        this.transcript.update(update);
        if (update.sessionUpdate === 'agent_message_chunk') this.turn?.turn.addText(contentText(update.content));
        else this.turn?.turn.touch();
      },
      onPermission: (request, signal) =>
        current() ? this.askPermission(request, signal) : Promise.resolve({ outcome: { outcome: 'cancelled' } }),
      onStderr: (line) => stderr.line(line),
      onExit: (reason) => {
        if (current() && this.current !== 'stopped') this.fail(stderr.explain(reason), generation);
      },
    };
  }

  private async askPermission(
    request: RequestPermissionRequest,
    signal: AbortSignal,
  ): Promise<RequestPermissionResponse> {
    const turn = this.turn;
    const resume = turn?.turn.pause();
    this.waitingPermissions += 1;
    this.report();
    try {
      const answer = await this.options.permissions.ask({
        session: this.options.session,
        request,
        messageId: turn?.messageId ?? null,
        timeoutMs: this.options.coder.permissionTimeoutMs,
        fallback: this.options.coder.permissionDefault,
        signal,
      });
      const chosen = answer.outcome.outcome === 'selected' ? answer.outcome.optionId : 'cancelled';
      this.transcript.note(`permission "${request.toolCall.title ?? request.toolCall.toolCallId}": ${chosen}`);
      return answer;
    } finally {
      this.waitingPermissions -= 1;
      resume?.();
      this.report();
    }
  }

  /** The agent went away or broke the protocol: end it and, if it ever worked, start it again later. */
  private fail(reason: string, generation: number): void {
    if (generation !== this.generation) return;
    this.generation += 1;
    const peer = this.detach();
    const spec = this.spec;
    if (spec) void this.options.endProcesses(peer?.pid, spec.instance).catch(() => undefined);
    this.transcript.note(`agent failed: ${reason}`);
    if (!this.everReady) {
      this.options.log('warn', 'acp.worker_failed', { session: this.options.session, reason, restart_in_ms: null });
      this.setPhase('failed', reason);
      return;
    }
    if (this.options.clock.now() - this.readyAt > BACKOFF_RESET_MS) this.backoffMs = RESTART_BACKOFF.initialMs;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, RESTART_BACKOFF.maxMs);
    this.options.log('warn', 'acp.worker_failed', { session: this.options.session, reason, restart_in_ms: delay });
    this.restart = this.options.clock.setTimeout(() => void this.launch(), delay);
    this.setPhase('failed', `${reason}; restarting in ${delay / 1000} s`);
  }

  /** Forgets the current agent: closes its connection and drops its permission requests. */
  private detach(): AcpPeer | undefined {
    const peer = this.peer;
    this.peer = undefined;
    this.sessionId = undefined;
    peer?.close();
    this.options.permissions.cancelSession(this.options.session);
    return peer;
  }

  private readyAgain(): void {
    this.setPhase('ready', null);
    this.options.onReady();
  }

  private setPhase(phase: WorkerPhase, reason: string | null): void {
    this.current = phase;
    this.reason = reason;
    this.report();
    if (phase !== 'starting') this.phaseWaiters.wakeAll();
  }

  private report(): void {
    const state = sessionStateOf(this.current, this.waitingPermissions);
    this.options.onStatus(state, state === 'waiting_input' ? 'permission requested' : this.reason);
  }
}
