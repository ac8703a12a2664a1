// The relay's tmux transport for one bundle: starts and stops agents in their private tmux
// server, watches their screens, and types messages into their panes (Deliverer).
import { existsSync } from 'node:fs';
import type { Member, TmuxCoder } from '../../config/index.js';
import { envelopeMarker, newEnvelopeNonce, renderEnvelope } from '../../core/envelope.js';
import { createUlidFactory } from '../../core/ids.js';
import { draftReason } from '../../core/session-words.js';
import {
  SYSTEM_SENDER,
  type DeliveryState,
  type Message,
  type SessionOutcome,
  type SessionState,
} from '../../core/protocol/index.js';
import type { AgentProcessRoot } from '../../runtime/peer-process.js';
import type { Deliverer, DeliveryOutcome } from '../deliverer.js';
import { detectorFor, type ScreenVerdict } from '../readiness/index.js';
import { LiveTmuxRunner } from './live-runner.js';
import { READY_POLL_MS, deliverToPane, judge, type PaneDeliveryDeps, type PaneTarget } from './pane-delivery.js';
import { PaneActivity } from './pane-activity.js';
import { PaneInjector } from './pane-injector.js';
import { PaneObserver } from './pane-observer.js';
import { recoverDelivery } from './pane-recovery.js';
import { EnvelopeNonces, HookConfirmations, screenRulesOf } from './screen-rules.js';
import type { TmuxTransportOptions } from './tmux-transport-options.js';

export type { PaneStatus, TmuxTransportOptions } from './tmux-transport-options.js';
import { TmuxServer } from './tmux-server.js';
import { paneEnvironment, paneLaunch, removePaneEnvFile, sessionCommand, type UpRequest } from './session-launch.js';
import { endPaneProcesses } from './pane-processes.js';
import { prepareWorkdir } from '../../workspace/index.js';
import { ExitReports, failedOutcome, paneExit, watchStart, type PaneExit } from './pane-exit.js';

/**
 * How often idle panes are looked at to keep session states current, and how long a waiting
 * delivery goes without an event before it looks anyway (a safety net: output and hook
 * reports wake it; see PaneActivity).
 */
export const STATUS_POLL_MS = 2000;

interface Pane {
  paneId: string;
  delivering: boolean;
}

/** One bundle's tmux agents. */
export class TmuxTransport implements Deliverer {
  readonly server: TmuxServer;
  readonly runner: LiveTmuxRunner;
  private readonly observer: PaneObserver;
  private readonly activity: PaneActivity;
  private readonly injector: PaneInjector;
  /** What every delivery and recovery works with (built once). */
  private readonly deliveryDeps: PaneDeliveryDeps;
  private readonly members = new Map<string, Member & { coder: TmuxCoder }>();
  private readonly panes = new Map<string, Pane>();
  private readonly instances = createUlidFactory();
  private readonly attached = new Map<string, boolean>();
  /** Sessions whose pane vanished (not stopped by `down`), with when: older messages fail with pane_gone. */
  private readonly vanished = new Map<string, number>();
  private readonly hookConfirmed = new HookConfirmations();
  private readonly nonces = new EnvelopeNonces();
  /** Sessions `up --restart` is replacing: their pane going away is not a vanished agent. */
  private readonly restarting = new Set<string>();
  private readonly exits: ExitReports;
  private readonly stopHookListener: (() => void) | undefined;
  private readonly stopStateListener: (() => void) | undefined;
  private poller: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(private readonly options: TmuxTransportOptions) {
    for (const member of options.team.members) {
      if (member.transport === 'tmux' && member.coder?.kind === 'tmux')
        this.members.set(member.id, { ...member, coder: member.coder });
    }
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
        if (verdict !== 'gone') this.report(session, verdict);
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
    return this.members.size > 0;
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
    return this.members.has(recipient) && (this.panes.has(recipient) || this.vanished.has(recipient));
  }

  async deliver(
    recipient: string,
    message: Message,
    progress: (state: DeliveryState) => void,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const target = this.target(recipient);
    const pane = this.panes.get(recipient);
    if (!target || !pane) {
      // Queued before the pane vanished: it can never arrive there. Later ones wait for `up`.
      const since = this.vanished.get(recipient);
      if (since !== undefined && Date.parse(message.created_at) <= since)
        return { state: 'failed', reason: 'pane_gone' };
      this.vanished.delete(recipient);
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
        if (this.restarting.has(recipient) || this.panes.get(recipient)?.paneId !== target.paneId)
          return { state: 'queued', reason: 'interrupted' };
        this.lost(recipient);
      }
      if (outcome.reason === 'submit_unconfirmed' && !target.coder.clearKeys?.length) {
        // Our text may still sit in the composer and nothing can clear it: a human must look.
        this.options.onStatus(recipient, {
          state: 'waiting_input',
          reason: 'unsubmitted_text',
          attached: this.attached.get(recipient) ?? false,
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
    const pane = this.panes.get(recipient);
    const target = this.target(recipient);
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
    for (const member of this.select(request.sessions)) {
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
    await this.runner.ensureControl(this.firstSession());
    void this.poll();
    return results;
  }

  /** An agent that exits right after `up` started it is failed, with its exit status and last lines. */
  private async watchNew(result: SessionOutcome): Promise<void> {
    const target = result.outcome === 'created' || result.outcome === 'restarted' ? this.target(result.id) : undefined;
    if (!target) return;
    const deps = { server: this.server, runner: this.runner, observer: this.observer, clock: this.options.clock };
    const exit = await watchStart(deps, target);
    if (exit === null) return;
    this.exited(result.id, target.paneId, exit);
    Object.assign(result, failedOutcome(exit, result.command !== target.coder.initialCommand));
  }

  /** A pane whose program ended: no longer a delivery target; reported (log once, state, reason). */
  private exited(session: string, paneId: string, exit: PaneExit): void {
    if (this.panes.get(session)?.paneId === paneId) this.lost(session);
    this.exits.report(session, paneId, exit);
  }

  /** Stops the selected agents: ends each pane's process tree, then its tmux session. */
  async down(sessions: string[] | undefined): Promise<SessionOutcome[]> {
    const listing = await this.server.listSessions().catch(() => []);
    const results: SessionOutcome[] = [];
    for (const member of this.select(sessions)) {
      const found = listing.find((s) => s.id === member.id);
      if (!found) {
        results.push({ id: member.id, transport: 'tmux', outcome: 'absent' });
        continue;
      }
      const pids = await endPaneProcesses(this.server, this.runner, member.id, found.paneId);
      this.lost(member.id, false);
      results.push({ id: member.id, transport: 'tmux', outcome: 'stopped', pids });
    }
    if ((await this.server.listSessions().catch(() => [])).length === 0)
      await this.server.killServer().catch(() => undefined);
    return results;
  }

  /** The last `lines` lines of an agent's pane. */
  async look(target: string, lines: number): Promise<string[] | undefined> {
    const pane = this.panes.get(target);
    if (pane) return this.server.capture(pane.paneId, lines);
    // An agent that exited: its dead pane still shows what it printed last.
    const dead = (await this.server.listSessions()).find((s) => s.id === target && s.dead);
    return dead === undefined ? undefined : this.server.capture(dead.paneId, lines);
  }

  /** Types raw text and keys into an agent's pane, without readiness checks. */
  async raww(target: string, text: string | undefined, keys: string[], enter: boolean): Promise<boolean> {
    const pane = this.panes.get(target);
    if (!pane) return false;
    if (text !== undefined && text.length > 0) await this.injector.typeLiteral(pane.paneId, text);
    const pressed = [...keys, ...(text !== undefined && enter ? ['Enter'] : [])];
    if (pressed.length > 0) await this.injector.pressKeys(pane.paneId, pressed);
    return true;
  }

  /** Publishes the status line as the `@agentmux-status` option of the private server. */
  /** The pane process of every running agent, for telling which agent a socket peer is. */
  async agentRoots(): Promise<AgentProcessRoot[]> {
    const listed = await this.runner.run([
      'list-panes',
      '-a',
      '-F',
      '#{session_name} #{pane_pid} #{@agentmux_instance}',
    ]);
    if (listed.code !== 0) return [];
    const roots: AgentProcessRoot[] = [];
    for (const line of listed.stdout.split('\n')) {
      const [session, pid, instance] = line.trim().split(' ');
      if (session === undefined || !this.members.has(session) || !/^\d+$/.test(pid ?? '')) continue;
      roots.push({ session, pid: Number(pid), ...(instance ? { instance } : {}) });
    }
    return roots;
  }

  async setStatusOption(line: string): Promise<void> {
    if (this.panes.size === 0) return;
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

  private async upOne(member: Member & { coder: TmuxCoder }, request: UpRequest): Promise<SessionOutcome> {
    let exists = await this.server.hasSession(member.id);
    const dead = exists && (await this.server.listSessions()).find((s) => s.id === member.id)?.dead === true;
    if (dead) {
      // What is left of an agent that exited: its dead pane goes, a new one takes its place.
      await this.server.killSession(member.id);
      exists = false;
    }
    if (exists && !request.restart) {
      const found = (await this.server.listSessions()).find((s) => s.id === member.id);
      if (found) this.adopt(member.id, found.paneId);
      return { id: member.id, transport: 'tmux', outcome: 'kept', ...(found ? { pane_id: found.paneId } : {}) };
    }
    let pids: number[] = [];
    if (exists) {
      this.restarting.add(member.id);
      try {
        const found = (await this.server.listSessions()).find((s) => s.id === member.id);
        pids = await endPaneProcesses(this.server, this.runner, member.id, found?.paneId);
        this.lost(member.id, false);
        return await this.launch(member, request, exists, pids);
      } finally {
        this.restarting.delete(member.id);
      }
    }
    return this.launch(member, request, exists, pids);
  }

  private async launch(
    member: Member & { coder: TmuxCoder },
    request: UpRequest,
    exists: boolean,
    pids: number[],
  ): Promise<SessionOutcome> {
    const directory = member.session
      ? await prepareWorkdir({
          bundle: this.options.team.bundle,
          session: member.session,
          stateDir: this.options.roots.stateDir,
          hooks: member.coder.hooks,
          entryPoint: this.options.entryPoint,
        })
      : (request.cwd ?? process.cwd());
    if (!existsSync(directory)) {
      return { id: member.id, transport: 'tmux', outcome: 'failed', reason: `directory ${directory} does not exist` };
    }
    // --fresh also overrides a coder-session-id in the bundle: it is the way out of a failing resume.
    const command = request.fresh
      ? member.coder.initialCommand
      : sessionCommand(member, this.options.conversationId(member.id));
    const instance = this.instances.next();
    const env = paneEnvironment({
      request,
      member,
      bundle: this.options.team.bundle.id,
      roots: this.options.roots,
      entryPoint: this.options.entryPoint,
      instance,
      credential: this.options.credentialFor?.(member.id),
    });
    const launch = paneLaunch(this.options.paths.dir, member.id, command, env);
    // A server started from an older tmux.conf would drop the pane of an agent that exits.
    await this.server.setGlobalOption('remain-on-exit', 'on');
    let paneId: string;
    try {
      ({ paneId } = await this.server.newSession({
        id: member.id,
        cwd: directory,
        command,
        argv: launch.argv,
        env: launch.env,
        width: request.cols ?? 200,
        height: request.rows ?? 50,
      }));
    } catch (error) {
      removePaneEnvFile(launch.envFile);
      throw error;
    }
    await this.runner.run(['set-option', '-t', `=${member.id}:`, '@agentmux_instance', instance]);
    this.adopt(member.id, paneId);
    this.options.onStatus(member.id, { state: 'starting', reason: null, attached: false });
    return {
      id: member.id,
      transport: 'tmux',
      outcome: exists ? 'restarted' : 'created',
      pane_id: paneId,
      command,
      ...(pids.length > 0 ? { pids } : {}),
    };
  }

  private async discover(): Promise<void> {
    const strays = await this.server.endStrayControlClients().catch(() => []);
    if (strays.length > 0) this.options.warn('tmux.stray_clients_ended', { pids: strays });
    const listing = await this.server.listSessions().catch(() => []);
    for (const session of listing)
      if (this.members.has(session.id) && !session.dead) this.adopt(session.id, session.paneId);
    await this.runner.ensureControl(this.firstSession());
  }

  private adopt(session: string, paneId: string): void {
    const current = this.panes.get(session);
    this.activity.watch(session, paneId);
    if (current?.paneId === paneId) return;
    if (current) this.observer.forget(current.paneId);
    this.vanished.delete(session);
    this.panes.set(session, { paneId, delivering: false });
    this.options.onReachable(session);
  }

  /** Drops a session's pane; `vanished` (not stopped by us) makes its queued messages fail. */
  private lost(session: string, vanished = true): void {
    const pane = this.panes.get(session);
    if (pane) this.observer.forget(pane.paneId);
    this.activity.forget(session);
    this.panes.delete(session);
    this.options.onStatus(session, { state: 'offline', reason: null, attached: false });
    if (pane && vanished && !this.restarting.has(session)) {
      this.vanished.set(session, this.options.clock.now());
      this.options.onReachable(session);
    }
  }

  private select(sessions: string[] | undefined): (Member & { coder: TmuxCoder })[] {
    const all = [...this.members.values()];
    return sessions === undefined ? all : all.filter((m) => sessions.includes(m.id));
  }

  private firstSession(): string | undefined {
    return this.panes.keys().next().value;
  }

  private target(session: string): PaneTarget | undefined {
    const member = this.members.get(session);
    const pane = this.panes.get(session);
    if (!member || !pane) return undefined;
    const coder = member.coder;
    return {
      session,
      paneId: pane.paneId,
      coder,
      detector: detectorFor(coder.detector),
      hook: () => this.options.hooks?.state(session),
      rules: screenRulesOf(coder),
    };
  }

  private report(session: string, verdict: ScreenVerdict | 'gone', attached?: boolean): void {
    if (verdict === 'gone') {
      this.lost(session);
      return;
    }
    const state: SessionState =
      verdict.state === 'busy' || verdict.state === 'not_ready'
        ? 'busy'
        : verdict.state === 'waiting_input'
          ? 'waiting_input'
          : 'idle';
    const reason =
      verdict.state === 'ready' ? null : verdict.state === 'draft' ? draftReason(verdict.reason) : verdict.reason;
    if (attached !== undefined) this.attached.set(session, attached);
    this.options.onStatus(session, { state, reason, attached: this.attached.get(session) ?? false });
    if (state === 'idle') this.options.onReachable(session);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      const listing = await this.server.listSessions().catch(() => undefined);
      if (listing === undefined) return;
      for (const member of this.members.values()) {
        const found = listing.find((s) => s.id === member.id);
        if (!found) {
          if (this.panes.has(member.id)) this.lost(member.id);
          else this.options.onStatus(member.id, { state: 'offline', reason: null, attached: false });
          continue;
        }
        if (found.dead) {
          const exit = await paneExit(this.server, this.runner, found.paneId).catch(() => null);
          if (exit !== null) this.exited(member.id, found.paneId, exit);
          continue;
        }
        this.adopt(member.id, found.paneId);
        const pane = this.panes.get(member.id);
        if (!pane || pane.delivering) continue;
        const seen = await this.observer.observe(found.paneId).catch(() => null);
        const target = this.target(member.id);
        if (!seen || !target) continue;
        this.report(member.id, judge(target, seen, { hooks: false }), found.attachedClients > 0);
      }
      await this.runner.ensureControl(this.firstSession());
    } catch (error) {
      this.options.warn('tmux.poll_failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.polling = false;
    }
  }
}
