// The relay's tmux transport for one bundle: starts and stops agents in their private tmux
// server, watches their screens, and types messages into their panes (Deliverer).
import { envelopeMarker, newEnvelopeNonce, renderEnvelope } from '../../core/envelope.js';
import { createUlidFactory } from '../../core/ids.js';
import { SYSTEM_SENDER, type DeliveryState, type Message, type SessionOutcome } from '../../core/protocol/index.js';
import type { AgentProcessRoot } from '../../runtime/peer-process.js';
import type { Deliverer, DeliveryOutcome } from '../deliverer.js';
import { AgentPanes, type TmuxMember } from './agent-panes.js';
import { LiveTmuxRunner } from './live-runner.js';
import { READY_POLL_MS, deliverToPane, judge, type PaneDeliveryDeps } from './pane-delivery.js';
import { PaneActivity } from './pane-activity.js';
import { PaneInjector } from './pane-injector.js';
import { PaneObserver } from './pane-observer.js';
import { recoverDelivery } from './pane-recovery.js';
import { EnvelopeNonces, HookConfirmations } from './screen-rules.js';
import type { TmuxTransportOptions } from './tmux-transport-options.js';

export type { PaneStatus, TmuxTransportOptions } from './tmux-transport-options.js';
import { TmuxServer } from './tmux-server.js';
import type { UpRequest } from './session-launch.js';
import { launchAgentPane } from './agent-launch.js';
import { endPaneProcesses, listAgentRoots } from './pane-processes.js';
import { ExitReports, failedOutcome, paneExit, watchStart, type PaneExit } from './pane-exit.js';

/**
 * How often idle panes are looked at to keep session states current, and how long a waiting
 * delivery goes without an event before it looks anyway (a safety net: output and hook
 * reports wake it; see PaneActivity).
 */
export const STATUS_POLL_MS = 2000;

/** One bundle's tmux agents. */
export class TmuxTransport implements Deliverer {
  readonly server: TmuxServer;
  readonly runner: LiveTmuxRunner;
  private readonly observer: PaneObserver;
  private readonly activity: PaneActivity;
  private readonly agents: AgentPanes;
  private readonly injector: PaneInjector;
  /** What every delivery and recovery works with (built once). */
  private readonly deliveryDeps: PaneDeliveryDeps;
  private readonly instances = createUlidFactory();
  private readonly hookConfirmed = new HookConfirmations();
  private readonly nonces = new EnvelopeNonces();
  private readonly exits: ExitReports;
  private readonly stopHookListener: (() => void) | undefined;
  private readonly stopStateListener: (() => void) | undefined;
  private poller: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(private readonly options: TmuxTransportOptions) {
    this.runner = new LiveTmuxRunner(options.paths.tmuxSocket);
    this.server = new TmuxServer({
      socket: options.paths.tmuxSocket,
      confPath: options.paths.tmuxConf,
      userConf: `${options.roots.configDir}/tmux.conf`,
      detachKey: options.team.tui.detachKey,
      runner: this.runner,
    });
    const safetyPollMs = options.safetyPollMs ?? STATUS_POLL_MS;
    this.activity = new PaneActivity(options.paths.tmuxSocket, options.clock, safetyPollMs);
    this.observer = new PaneObserver(this.server, options.clock, this.activity);
    this.agents = new AgentPanes(options.team, this.activity, this.observer, options);
    this.stopHookListener = options.hooks?.onPromptSubmitted((_session, prompt) =>
      this.hookConfirmed.notePrompt(prompt),
    );
    // A hook report (or any state change) may make a waiting pane deliverable: judge it again.
    this.stopStateListener = options.hooks?.onStateChange?.((session) => this.activity.wake(session));
    this.injector = new PaneInjector({ runner: this.runner, tmpDir: options.paths.dir });
    this.deliveryDeps = {
      server: this.server,
      observer: this.observer,
      injector: this.injector,
      clock: options.clock,
      // A delivery that finds its pane gone says so in its outcome; deliver() decides what it means.
      report: (session, verdict) => {
        if (verdict !== 'gone') this.agents.report(session, verdict);
      },
      warn: (event, details) => options.warn(event, details),
      changes: {
        mark: (target) => this.activity.mark(target.paneId),
        wait: (target, since, wakeAt, signal) =>
          this.activity.waitForChange(target.paneId, {
            quietWindowMs: target.coder.quietWindowMs,
            wakeAt,
            since,
            fallbackMs: READY_POLL_MS,
            signal,
          }),
      },
    };
    this.exits = new ExitReports(options.warn, options.onStatus);
  }

  /** True when the bundle has tmux agents at all. */
  get active(): boolean {
    return this.agents.members.size > 0;
  }

  /**
   * Finds agents already running (a relay restart never kills them) and looks at each once, so
   * the relay knows their states before it answers anyone; then keeps watching.
   */
  async start(): Promise<void> {
    if (!this.active) return;
    this.server.writeConf();
    await this.discover();
    await this.poll();
    this.poller = setInterval(() => void this.poll(), this.options.safetyPollMs ?? STATUS_POLL_MS);
    this.poller.unref();
  }

  handles(recipient: string): boolean {
    return this.agents.handles(recipient);
  }

  async deliver(
    recipient: string,
    message: Message,
    progress: (state: DeliveryState) => void,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const target = this.agents.target(recipient);
    const pane = this.agents.pane(recipient);
    if (!target || !pane) {
      // Queued before the pane vanished: it can never arrive there. Later ones wait for `up`.
      const since = this.agents.vanished.get(recipient);
      if (since !== undefined && Date.parse(message.created_at) <= since)
        return { state: 'failed', reason: 'pane_gone' };
      this.agents.vanished.delete(recipient);
      return { state: 'queued' };
    }
    pane.delivering = true;
    try {
      const nonce = newEnvelopeNonce();
      this.nonces.remember(recipient, message.id, nonce);
      // Supervisor events come from the relay itself: there is nobody to reply to.
      const envelope = renderEnvelope({ ...message, nonce, replyHint: message.from !== SYSTEM_SENDER });
      const outcome = await deliverToPane(
        this.deliveryDeps,
        { ...target, confirmedByHook: () => this.hookConfirmed.has(`${message.id}.${nonce}`) },
        envelope,
        message.id,
        progress,
        signal,
      );
      if (outcome.reason === 'pane_gone') {
        // The pane was replaced under the delivery (`up --restart`): wait for the new one.
        if (this.agents.restarting.has(recipient) || this.agents.pane(recipient)?.paneId !== target.paneId)
          return { state: 'queued', reason: 'interrupted' };
        this.agents.lost(recipient);
      }
      if (outcome.reason === 'submit_unconfirmed' && !target.coder.clearKeys?.length) {
        // Our text may still sit in the composer and nothing can clear it: a human must look.
        this.options.onStatus(recipient, {
          state: 'waiting_input',
          reason: 'unsubmitted_text',
          attached: this.agents.attachedNow(recipient),
        });
      }
      return outcome;
    } finally {
      pane.delivering = false;
    }
  }

  /**
   * After a relay restart: a message left half typed is never pasted again. Not on the pane:
   * failed. Still in the composer (the screen is neither ready nor busy): Enter is pressed and
   * confirmed as in a delivery. Otherwise the agent moved past it: delivered.
   */
  async recover(recipient: string, message: Message): Promise<DeliveryOutcome> {
    const pane = this.agents.pane(recipient);
    const target = this.agents.target(recipient);
    if (!pane || !target) return { state: 'failed', reason: 'pane_gone' };
    // Typed by this relay (a command failed after the paste): look for that very delivery.
    const nonce = this.nonces.of(recipient, message.id);
    const proof = `${message.id}.${nonce ?? ''}`;
    const confirmedByHook = (): boolean => nonce !== undefined && this.hookConfirmed.has(proof);
    pane.delivering = true;
    try {
      // As typed (the nonce does not change its size): a collapsed paste is compared by size.
      const typed = renderEnvelope({
        ...message,
        nonce: nonce ?? newEnvelopeNonce(),
        replyHint: message.from !== SYSTEM_SENDER,
      });
      return await recoverDelivery(
        this.deliveryDeps,
        { ...target, confirmedByHook },
        envelopeMarker(message.id, nonce),
        message.id,
        typed,
      );
    } finally {
      pane.delivering = false;
    }
  }

  /** Starts the selected agents that are not running (or restarts them). */
  async up(request: UpRequest): Promise<SessionOutcome[]> {
    const results: SessionOutcome[] = [];
    this.server.writeConf();
    for (const member of this.agents.select(request.sessions)) {
      try {
        results.push(await this.upOne(member, request));
      } catch (error) {
        results.push({
          id: member.id,
          transport: 'tmux',
          outcome: 'failed',
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    await Promise.all(results.map((result) => this.watchNew(result)));
    await this.runner.ensureControl(this.agents.firstSession());
    void this.poll();
    return results;
  }

  /** An agent that exits right after `up` started it is failed, with its exit status and last lines. */
  private async watchNew(result: SessionOutcome): Promise<void> {
    const target =
      result.outcome === 'created' || result.outcome === 'restarted' ? this.agents.target(result.id) : undefined;
    if (!target) return;
    const deps = { server: this.server, runner: this.runner, observer: this.observer, clock: this.options.clock };
    const exit = await watchStart(deps, target);
    if (exit === null) return;
    this.exited(result.id, target.paneId, exit);
    Object.assign(result, failedOutcome(exit, result.command !== target.coder.initialCommand));
  }

  /** A pane whose program ended: no longer a delivery target; reported (log once, state, reason). */
  private exited(session: string, paneId: string, exit: PaneExit): void {
    if (this.agents.pane(session)?.paneId === paneId) this.agents.lost(session);
    this.exits.report(session, paneId, exit);
  }

  /** Stops the selected agents: ends each pane's process tree, then its tmux session. */
  async down(sessions: string[] | undefined): Promise<SessionOutcome[]> {
    const listing = await this.server.listSessions().catch(() => []);
    const results: SessionOutcome[] = [];
    for (const member of this.agents.select(sessions)) {
      const found = listing.find((s) => s.id === member.id);
      if (!found) {
        results.push({ id: member.id, transport: 'tmux', outcome: 'absent' });
        continue;
      }
      const pids = await endPaneProcesses(this.server, this.runner, member.id, found.paneId);
      this.agents.lost(member.id, false);
      results.push({ id: member.id, transport: 'tmux', outcome: 'stopped', pids });
    }
    if ((await this.server.listSessions().catch(() => [])).length === 0)
      await this.server.killServer().catch(() => undefined);
    return results;
  }

  /** The last `lines` lines of an agent's pane. */
  async look(target: string, lines: number): Promise<string[] | undefined> {
    const pane = this.agents.pane(target);
    if (pane) return this.server.capture(pane.paneId, lines);
    // An agent that exited: its dead pane still shows what it printed last.
    const dead = (await this.server.listSessions()).find((s) => s.id === target && s.dead);
    return dead === undefined ? undefined : this.server.capture(dead.paneId, lines);
  }

  /** Types raw text and keys into an agent's pane, without readiness checks. */
  async raww(target: string, text: string | undefined, keys: string[], enter: boolean): Promise<boolean> {
    const pane = this.agents.pane(target);
    if (!pane) return false;
    if (text !== undefined && text.length > 0) await this.injector.typeLiteral(pane.paneId, text);
    const pressed = [...keys, ...(text !== undefined && enter ? ['Enter'] : [])];
    if (pressed.length > 0) await this.injector.pressKeys(pane.paneId, pressed);
    return true;
  }

  /** The pane process of every running agent, for telling which agent a socket peer is. */
  async agentRoots(): Promise<AgentProcessRoot[]> {
    return listAgentRoots(this.runner, (session) => this.agents.members.has(session));
  }

  /** Publishes the status line as the `@agentmux-status` option of the private server. */
  async setStatusOption(line: string): Promise<void> {
    if (this.agents.size === 0) return;
    await this.server.setGlobalOption('@agentmux-status', line).catch(() => undefined);
  }

  /** Stops watching; agent sessions keep running. */
  close(): void {
    this.closed = true;
    this.stopHookListener?.();
    this.stopStateListener?.();
    if (this.poller) clearInterval(this.poller);
    this.activity.close();
    this.runner.close();
    this.server.close();
  }

  private async upOne(member: TmuxMember, request: UpRequest): Promise<SessionOutcome> {
    let exists = await this.server.hasSession(member.id);
    const dead = exists && (await this.server.listSessions()).find((s) => s.id === member.id)?.dead === true;
    if (dead) {
      // What is left of an agent that exited: its dead pane goes, a new one takes its place.
      await this.server.killSession(member.id);
      exists = false;
    }
    if (exists && !request.restart) {
      const found = (await this.server.listSessions()).find((s) => s.id === member.id);
      if (found) this.agents.adopt(member.id, found.paneId);
      return { id: member.id, transport: 'tmux', outcome: 'kept', ...(found ? { pane_id: found.paneId } : {}) };
    }
    let pids: number[] = [];
    if (exists) {
      this.agents.restarting.add(member.id);
      try {
        const found = (await this.server.listSessions()).find((s) => s.id === member.id);
        pids = await endPaneProcesses(this.server, this.runner, member.id, found?.paneId);
        this.agents.lost(member.id, false);
        return await this.launch(member, request, exists, pids);
      } finally {
        this.agents.restarting.delete(member.id);
      }
    }
    return this.launch(member, request, exists, pids);
  }

  private async launch(
    member: TmuxMember,
    request: UpRequest,
    exists: boolean,
    pids: number[],
  ): Promise<SessionOutcome> {
    const deps = { server: this.server, runner: this.runner, options: this.options };
    const launched = await launchAgentPane(deps, member, request, this.instances.next());
    if ('failed' in launched) return { id: member.id, transport: 'tmux', outcome: 'failed', reason: launched.failed };
    this.agents.adopt(member.id, launched.paneId);
    this.options.onStatus(member.id, { state: 'starting', reason: null, attached: false });
    return {
      id: member.id,
      transport: 'tmux',
      outcome: exists ? 'restarted' : 'created',
      pane_id: launched.paneId,
      command: launched.command,
      ...(pids.length > 0 ? { pids } : {}),
    };
  }

  private async discover(): Promise<void> {
    const strays = await this.server.endStrayControlClients().catch(() => []);
    if (strays.length > 0) this.options.warn('tmux.stray_clients_ended', { pids: strays });
    const listing = await this.server.listSessions().catch(() => []);
    for (const session of listing)
      if (this.agents.members.has(session.id) && !session.dead) this.agents.adopt(session.id, session.paneId);
    await this.runner.ensureControl(this.agents.firstSession());
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      const listing = await this.server.listSessions().catch(() => undefined);
      if (listing === undefined) return;
      for (const member of this.agents.members.values()) {
        const found = listing.find((s) => s.id === member.id);
        if (!found) {
          if (this.agents.pane(member.id)) this.agents.lost(member.id);
          else this.options.onStatus(member.id, { state: 'offline', reason: null, attached: false });
          continue;
        }
        if (found.dead) {
          const exit = await paneExit(this.server, this.runner, found.paneId).catch(() => null);
          if (exit !== null) this.exited(member.id, found.paneId, exit);
          continue;
        }
        this.agents.adopt(member.id, found.paneId);
        const pane = this.agents.pane(member.id);
        if (!pane || pane.delivering) continue;
        const seen = await this.observer.observe(found.paneId).catch(() => null);
        const target = this.agents.target(member.id);
        if (!seen || !target) continue;
        this.agents.report(member.id, judge(target, seen, { hooks: false }), found.attachedClients > 0);
      }
      await this.runner.ensureControl(this.agents.firstSession());
    } catch (error) {
      this.options.warn('tmux.poll_failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.polling = false;
    }
  }
}
