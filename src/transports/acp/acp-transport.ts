// The relay's ACP transport for one bundle: one worker per ACP session, started and stopped
// by `up`/`down`, prompted with each delivered message (Deliverer), looked at through its
// transcript. A turn's streamed answer is journaled as the agent's reply to the sender.
import { existsSync } from 'node:fs';
import type { AcpCoder, Member, Team } from '../../config/index.js';
import type { Clock } from '../../core/clock.js';
import { newEnvelopeNonce, renderEnvelope } from '../../core/envelope.js';
import { AgentmuxError, toAgentmuxError } from '../../core/errors.js';
import { createUlidFactory } from '../../core/ids.js';
import type { DeliveryState, Message, SessionOutcome, SessionState } from '../../core/protocol/index.js';
import { agentProcesses, endProcesses } from '../../runtime/index.js';
import type { Deliverer, DeliveryOutcome } from '../deliverer.js';
import type { UpRequest } from '../tmux/session-launch.js';
import { launchAcpPeer, type LaunchPeer } from './acp-peer.js';
import { AcpWorker, type TurnReport } from './acp-worker.js';
import { NOT_PROMPTED_REASON, autoReplyFor, mayPrompt, type AutoReply } from './auto-reply.js';
import { parseAgentCommand } from './command-line.js';
import type { PermissionDesk } from './permission-desk.js';
import { workerEnvironment } from './worker-env.js';
import type { AgentProcessRoot } from '../../runtime/peer-process.js';
import { prepareWorkdir } from '../../workspace/index.js';

/** How long `up` waits for an agent to become ready before reporting it as still starting. */
export const UP_WAIT_MS = 15_000;
/** Grace between SIGTERM and SIGKILL when an agent is stopped. */
export const STOP_GRACE_MS = 3000;
/** Stop reasons after which the message counts as delivered (DESIGN Settled details 24). */
export const DELIVERED_STOP_REASONS: ReadonlySet<string> = new Set([
  'end_turn',
  'max_tokens',
  'max_turn_requests',
  'refusal',
]);
/** `raww` keys that cancel the turn in progress. */
const CANCEL_KEYS = new Set(['C-c', 'Escape']);

type AcpMember = Member & { coder: AcpCoder };

export interface AcpTransportOptions {
  team: Team;
  roots: { configDir: string; stateDir: string };
  /** AGENTMUX_COMMAND for agents: the absolute path of the agentmux entry point. */
  entryPoint: string;
  /** AGENTMUX_TOKEN for a worker: proves its session to the relay. */
  credentialFor?: (session: string) => string;
  /** agentmux version, sent as clientInfo. */
  version: string;
  clock: Clock;
  permissions: PermissionDesk;
  /** The ACP session id recorded per agentmux session (journal session facts). */
  sessionIds: { get(session: string): string | undefined; set(session: string, id: string): void };
  /** Journals an auto-reply as a message from `from` (the relay's send path). */
  submit: (from: string, reply: AutoReply) => Promise<unknown>;
  onStatus: (session: string, state: SessionState, reason: string | null) => void;
  /** A worker can take a prompt; the router should try its queue. */
  onReachable: (session: string) => void;
  log: (level: 'info' | 'warn', event: string, details: Record<string, unknown>) => void;
  /** Defaults to spawning the coder's command. */
  launch?: LaunchPeer;
  /** Defaults to process.env. */
  relayEnv?: Readonly<Record<string, string | undefined>>;
}

/** One bundle's ACP agents. */
export class AcpTransport implements Deliverer {
  private readonly members = new Map<string, AcpMember>();
  private readonly workers = new Map<string, AcpWorker>();
  private readonly instances = createUlidFactory();
  private closed = false;

  constructor(private readonly options: AcpTransportOptions) {
    for (const member of options.team.members) {
      if (member.transport === 'acp' && member.coder?.kind === 'acp')
        this.members.set(member.id, { ...member, coder: member.coder });
    }
  }

  /** True when the bundle has ACP agents at all. */
  get active(): boolean {
    return this.members.size > 0;
  }

  /** The agent process of every running worker, for telling which agent a socket peer is. */
  agentRoots(): AgentProcessRoot[] {
    const roots: AgentProcessRoot[] = [];
    for (const [session, worker] of this.workers) {
      const root = worker.processRoot;
      if (root !== undefined) roots.push({ session, ...root });
    }
    return roots;
  }

  handles(recipient: string): boolean {
    return this.workers.get(recipient)?.running ?? false;
  }

  async deliver(
    recipient: string,
    message: Message,
    progress: (state: DeliveryState) => void,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const worker = this.workers.get(recipient);
    if (!worker?.running) return { state: 'queued' };
    if (!mayPrompt(message)) {
      worker.transcript.note(`not prompted: ${message.id} from ${message.from} answers an auto-reply`);
      return { state: 'delivered', reason: NOT_PROMPTED_REASON };
    }
    // The answer goes back to the sender by itself; a reply command would answer twice.
    const envelope = renderEnvelope({ ...message, nonce: newEnvelopeNonce(), replyHint: false });
    const report = await worker.prompt(envelope, message.id, signal, () => progress('delivering'));
    return this.outcome(recipient, message, report, worker);
  }

  /** Starts the selected agents that are not running (or restarts them). */
  async up(request: UpRequest): Promise<SessionOutcome[]> {
    return Promise.all(this.select(request.sessions).map((member) => this.upOne(member, request)));
  }

  /** Stops the selected agents and ends their processes. */
  async down(sessions: string[] | undefined): Promise<SessionOutcome[]> {
    return Promise.all(
      this.select(sessions).map(async (member): Promise<SessionOutcome> => {
        const worker = this.workers.get(member.id);
        if (!worker || worker.phase === 'stopped') return { id: member.id, transport: 'acp', outcome: 'absent' };
        const pids = await worker.stop();
        return { id: member.id, transport: 'acp', outcome: 'stopped', ...(pids.length > 0 ? { pids } : {}) };
      }),
    );
  }

  /** The last `lines` lines of the session's transcript, or undefined when it never ran. */
  look(target: string, lines: number): Promise<string[] | undefined> {
    return Promise.resolve(this.workers.get(target)?.transcript.lines(lines));
  }

  /** Text becomes a raw prompt turn (no envelope, no reply); C-c or Escape cancel the turn. */
  raww(target: string, text: string | undefined, keys: string[], _enter: boolean): Promise<boolean> {
    const worker = this.workers.get(target);
    if (!worker?.running) return Promise.resolve(false);
    const unsupported = keys.filter((key) => !CANCEL_KEYS.has(key));
    if (unsupported.length > 0) {
      return Promise.reject(
        new AgentmuxError('validation_invalid_params', 'ACP sessions take no keys except C-c and Escape', {
          details: { target, keys: unsupported },
        }),
      );
    }
    if (keys.length > 0) worker.cancelTurn();
    if (text !== undefined && text.trim().length > 0) {
      void worker.prompt(text, null, new AbortController().signal).then((report) => {
        if (report.kind === 'unavailable') worker.transcript.note('raw prompt dropped: the agent was not ready');
      });
    }
    return Promise.resolve(true);
  }

  /** Stops every agent (the relay is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop().catch(() => [])));
  }

  private async upOne(member: AcpMember, request: UpRequest): Promise<SessionOutcome> {
    const base = { id: member.id, transport: 'acp' };
    if (this.closed) return { ...base, outcome: 'failed', reason: 'the relay is stopping' };
    let worker = this.workers.get(member.id);
    const wasRunning = worker?.running ?? false;
    // A worker waiting out its restart backoff is started again at once.
    if (wasRunning && worker?.phase !== 'failed' && !request.restart) return { ...base, outcome: 'kept' };
    const pids = wasRunning && worker ? await worker.stop() : [];
    let directory: string;
    try {
      directory = member.session
        ? await prepareWorkdir({
            bundle: this.options.team.bundle,
            session: member.session,
            stateDir: this.options.roots.stateDir,
          })
        : (request.cwd ?? process.cwd());
    } catch (error) {
      return { ...base, outcome: 'failed', reason: toAgentmuxError(error).message };
    }
    if (!existsSync(directory)) return { ...base, outcome: 'failed', reason: `directory ${directory} does not exist` };
    const instance = this.instances.next();
    const env = workerEnvironment({
      relayEnv: this.options.relayEnv ?? process.env,
      requestEnv: request.env,
      coder: member.coder,
      identity: {
        bundle: this.options.team.bundle.id,
        session: member.id,
        roots: this.options.roots,
        entryPoint: this.options.entryPoint,
        instance,
        ...(this.options.credentialFor === undefined ? {} : { credential: this.options.credentialFor(member.id) }),
      },
    });
    let argv: string[];
    try {
      argv = parseAgentCommand(member.coder.command, env);
    } catch (error) {
      return { ...base, outcome: 'failed', reason: toAgentmuxError(error).message };
    }
    worker ??= this.createWorker(member, directory);
    this.workers.set(member.id, worker);
    const started = await worker.start({ argv, env, instance, fresh: request.fresh ?? false }, UP_WAIT_MS);
    const outcome = wasRunning ? 'restarted' : 'created';
    return {
      ...base,
      outcome: started.phase === 'failed' ? 'failed' : outcome,
      command: member.coder.command,
      ...(started.phase === 'starting' ? { reason: 'still starting' } : {}),
      ...(started.phase === 'failed' && started.reason !== null ? { reason: started.reason } : {}),
      ...(pids.length > 0 ? { pids } : {}),
    };
  }

  private createWorker(member: AcpMember, cwd: string): AcpWorker {
    const { options } = this;
    return new AcpWorker({
      session: member.id,
      coder: member.coder,
      cwd,
      clock: options.clock,
      launch: options.launch ?? launchAcpPeer,
      clientVersion: options.version,
      permissions: options.permissions,
      configuredSessionId: member.session?.coderSessionId,
      sessionIds: { get: () => options.sessionIds.get(member.id), set: (id) => options.sessionIds.set(member.id, id) },
      endProcesses: (pid, instance) => endProcesses(agentProcesses(pid, instance), STOP_GRACE_MS),
      log: options.log,
      onStatus: (state, reason) => options.onStatus(member.id, state, reason),
      onReady: () => options.onReachable(member.id),
    });
  }

  private async outcome(
    recipient: string,
    message: Message,
    report: TurnReport,
    worker: AcpWorker,
  ): Promise<DeliveryOutcome> {
    switch (report.kind) {
      case 'unavailable':
        // Became ready while this answer was on its way: make sure the queue is looked at again.
        setImmediate(() => {
          if (worker.phase === 'ready') this.options.onReachable(recipient);
        });
        return { state: 'queued' };
      case 'aborted':
        return { state: 'queued', reason: 'interrupted' };
      case 'interrupted':
        return { state: 'failed', reason: 'interrupted' };
      case 'timeout':
        return { state: 'failed', reason: 'turn_timeout' };
      case 'error':
        this.options.log('warn', 'acp.prompt_failed', {
          session: recipient,
          message_id: message.id,
          error: report.message,
        });
        return { state: 'failed', reason: 'prompt_error' };
      case 'stopped':
        if (!DELIVERED_STOP_REASONS.has(report.stopReason)) {
          return {
            state: 'failed',
            reason: report.stopReason === 'cancelled' ? 'cancelled' : `stop_${report.stopReason}`,
          };
        }
        await this.reply(recipient, message, report.text);
        return { state: 'delivered' };
      default: {
        const unreachable: never = report;
        return unreachable;
      }
    }
  }

  private async reply(from: string, prompted: Message, text: string): Promise<void> {
    const reply = autoReplyFor(prompted, text);
    if (!reply) return;
    try {
      await this.options.submit(from, reply);
    } catch (error) {
      const failure = toAgentmuxError(error);
      // The same message prompted twice (a relay restart mid-turn): the first answer stands.
      const duplicate = failure.code === 'validation_request_id_conflict';
      this.options.log(duplicate ? 'info' : 'warn', duplicate ? 'acp.reply_duplicate' : 'acp.reply_failed', {
        session: from,
        message_id: prompted.id,
        code: failure.code,
        error: failure.message,
      });
    }
  }

  private select(sessions: string[] | undefined): AcpMember[] {
    const all = [...this.members.values()];
    return sessions === undefined ? all : all.filter((m) => sessions.includes(m.id));
  }
}
