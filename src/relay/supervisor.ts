// Supervisor events: tells supervising sessions, once per transition, when a teammate finishes
// a turn, waits for the operator, fails or exits, or could not be reached. Each event is an
// ordinary journaled message from SYSTEM_SENDER, so it is queued and delivered by the normal
// readiness rules (never typed into a busy or waiting supervisor) and survives a relay crash.
//
// Once per transition: a raw state must hold for the debounce window before it counts (screen
// flicker collapses into one settled change), and each settled state is saved with a counter in
// the same journal transaction as its event, so a restarted relay neither repeats nor loses it.
import { rfc3339 } from '../core/clock.js';
import { SYSTEM_SENDER, type Message, type SessionState, type SupervisorEventKind } from '../core/protocol/index.js';
import type { SupervisionRecord } from './journal/journal.js';
import type { RelayCore } from './relay-core.js';

/** A raw state must hold this long before it is a transition (screen flicker, hook bursts). */
export const SUPERVISOR_DEBOUNCE_MS = 1000;
/** At most this many events per supervised session per window; the rest become one summary. */
export const EVENT_RATE_MAX = 6;
export const EVENT_RATE_WINDOW_MS = 60_000;

/** States a turn can start from or continue in (not offline or starting). */
const TURN_STATES: ReadonlySet<string> = new Set(['idle', 'busy', 'waiting_input']);

type SupervisorCore = Pick<
  RelayCore,
  'team' | 'registry' | 'journal' | 'batcher' | 'router' | 'notifier' | 'clock' | 'ids' | 'log'
>;

export interface SupervisorOptions {
  debounceMs?: number;
  rateMax?: number;
  rateWindowMs?: number;
}

/** One event before it is journaled. */
interface PendingEvent {
  kind: SupervisorEventKind;
  session: string;
  body: string;
  /** Dedup key; for transitions `<session>#<counter>`. */
  requestId: string;
}

interface RateWindow {
  start: number;
  count: number;
  suppressed: Map<SupervisorEventKind, number>;
  timer: { cancel(): void } | undefined;
}

/** Which settled change is worth telling a supervisor about. */
export function transitionKind(previous: string, next: SessionState): SupervisorEventKind | null {
  if (next === 'idle' && (previous === 'busy' || previous === 'waiting_input')) return 'turn_finished';
  if (next === 'waiting_input' && previous !== 'waiting_input') return 'waiting_input';
  // A running agent whose process ended exited, whatever its status (the reason says which);
  // `failed` is for an agent that never got going.
  if ((next === 'failed' || next === 'offline') && ['idle', 'busy', 'waiting_input'].includes(previous))
    return 'exited';
  if (next === 'failed' && previous !== 'failed') return 'failed';
  if (next === 'offline' && previous === 'starting') return 'exited';
  return null;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Watches the registry and the router and journals supervisor events. */
export class Supervisor {
  private readonly core: SupervisorCore;
  private readonly debounceMs: number;
  private readonly rateMax: number;
  private readonly rateWindowMs: number;
  private readonly records = new Map<string, SupervisionRecord>();
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly changedAt = new Map<string, number>();
  private readonly lastRaw = new Map<string, SessionState>();
  private readonly watchers = new Map<string, number>();
  private readonly windows = new Map<string, RateWindow>();
  /**
   * When a delivery to the session was accepted (its prompt submitted) while it was settled
   * idle: a turn began, even one so short that its busy state never holds for the debounce.
   */
  private readonly turnsBegun = new Map<string, number>();
  private readonly removals: (() => void)[] = [];
  private closed = false;

  constructor(core: SupervisorCore, options: SupervisorOptions = {}) {
    this.core = core;
    this.debounceMs = options.debounceMs ?? SUPERVISOR_DEBOUNCE_MS;
    this.rateMax = options.rateMax ?? EVENT_RATE_MAX;
    this.rateWindowMs = options.rateWindowMs ?? EVENT_RATE_WINDOW_MS;
  }

  /** Loads the saved states and starts listening. */
  start(): void {
    for (const record of this.core.journal.supervisionRecords()) this.records.set(record.session, record);
    this.removals.push(
      this.core.registry.onChange((id) => this.changed(id)),
      this.core.router.onChange(({ message, recipient, state, reason }) => {
        if (state === 'failed') this.deliveryFailed(message, recipient, reason);
        if (state === 'delivered') this.turnBegan(recipient);
      }),
    );
  }

  /** A live `watch --events` connection for `session` opened (+1) or closed (-1). */
  watch(session: string, delta: 1 | -1): void {
    const count = Math.max(0, (this.watchers.get(session) ?? 0) + delta);
    if (count === 0) this.watchers.delete(session);
    else this.watchers.set(session, count);
  }

  /** Sessions told about `session`: configured supervisors and live watchers, never itself. */
  supervisorsOf(session: string): string[] {
    const out = new Set<string>();
    for (const member of this.core.registry.all()) {
      const list = member.session?.supervise;
      if (list && (list.includes('*') || list.includes(session))) out.add(member.id);
    }
    for (const watcher of this.watchers.keys()) out.add(watcher);
    out.delete(session);
    return [...out];
  }

  close(): void {
    this.closed = true;
    for (const remove of this.removals.splice(0)) remove();
    for (const timer of this.timers.values()) timer.cancel();
    for (const window of this.windows.values()) window.timer?.cancel();
    this.timers.clear();
  }

  private supervised(id: string): boolean {
    const member = this.core.registry.member(id);
    return member?.role === 'agent' && member.transport !== 'socket';
  }

  private changed(id: string): void {
    if (this.closed || !this.supervised(id)) return;
    const state = this.core.registry.statusOf(id).state;
    // A reason-only change (a draft, a new busy hint) is no transition and must not postpone one.
    if (this.lastRaw.get(id) === state) return;
    this.lastRaw.set(id, state);
    this.changedAt.set(id, this.core.clock.now());
    this.timers.get(id)?.cancel();
    this.settleLater(id);
  }

  /** Judges `id` once the debounce has passed. */
  private settleLater(id: string): void {
    this.timers.set(
      id,
      this.core.clock.setTimeout(() => {
        this.timers.delete(id);
        this.settle(id);
      }, this.debounceMs),
    );
  }

  /**
   * The relay handed `id` a prompt and it was taken: a turn began. A turn shorter than the
   * debounce (busy, then idle again within it) settles as idle → idle and would be lost, so it
   * is judged once the debounce has passed (unless a raw change already scheduled that).
   */
  private turnBegan(id: string): void {
    if (this.closed || !this.supervised(id)) return;
    // Kept even when the settled state is not idle: an agent given its first task the moment
    // its start-up screen turned into a prompt never settles idle in between, and its turn
    // would pass for part of the start-up.
    this.turnsBegun.set(id, this.core.clock.now());
    if (this.records.get(id)?.state !== 'idle' || this.timers.has(id)) return;
    this.settleLater(id);
  }

  private settle(id: string): void {
    if (this.closed) return;
    const status = this.core.registry.statusOf(id);
    const at = this.changedAt.get(id) ?? this.core.clock.now();
    let previous = this.records.get(id);
    const begun = this.turnsBegun.get(id);
    this.turnsBegun.delete(id);
    if (previous?.state === status.state) {
      if (begun === undefined) return;
      if (status.state !== 'idle') {
        // Still in what began as a start-up screen: the delivery marks where the turn began.
        if (previous.turn_started === null && (status.state === 'busy' || status.state === 'waiting_input')) {
          const record = { ...previous, turn_started: begun };
          this.records.set(id, record);
          void this.persist(record, undefined);
        }
        return;
      }
      // Idle again after a whole turn inside the debounce: that turn finished.
      previous = { ...previous, state: 'busy', turn_started: begun };
    }
    let kind = previous ? transitionKind(previous.state, status.state) : null;
    // A start-up screen (no prompt yet reads as busy) is no turn: a turn begins at a prompt.
    if (kind === 'turn_finished' && previous?.turn_started === null) kind = null;
    const inTurn = status.state === 'busy' || status.state === 'waiting_input';
    const fromPrompt = previous !== undefined && TURN_STATES.has(previous.state);
    const next: SupervisionRecord = {
      session: id,
      state: status.state,
      since: at,
      turn_started: inTurn ? (previous?.turn_started ?? begun ?? (fromPrompt ? at : null)) : null,
      counter: (previous?.counter ?? 0) + (kind ? 1 : 0),
    };
    this.records.set(id, next);
    let event: PendingEvent | undefined;
    if (kind && previous) {
      event = {
        kind,
        session: id,
        body: this.describe(kind, id, previous, status.reason),
        requestId: `${id}#${next.counter}`,
      };
      if (!this.admit(id, kind)) event = undefined;
    }
    void this.persist(next, event);
  }

  private describe(kind: SupervisorEventKind, id: string, previous: SupervisionRecord, reason: string | null): string {
    switch (kind) {
      case 'turn_finished': {
        const started = previous.turn_started ?? previous.since;
        const took = Math.max(0, (this.changedAt.get(id) ?? this.core.clock.now()) - started);
        return `${id} finished its turn after ${seconds(took)} and is idle.`;
      }
      case 'waiting_input': {
        const hook = this.core.registry.hookState(id);
        const what = reason ?? (hook ? `hook ${hook.event}` : 'a dialog or question');
        return `${id} is waiting for the operator (${what}); see \`agentmux look ${id}\`.`;
      }
      case 'failed':
        return `${id} failed: ${reason ?? 'no reason given'}.`;
      case 'exited':
        return `${id} exited (${reason ?? 'its pane is gone'}); \`agentmux up --session ${id}\` starts it again.`;
      case 'delivery_failed':
      case 'summary':
        return `${id} changed state.`;
      default: {
        const unreachable: never = kind;
        return String(unreachable);
      }
    }
  }

  /** Rate limit: true when the event may go out now; otherwise it is counted for the summary. */
  private admit(id: string, kind: SupervisorEventKind): boolean {
    const now = this.core.clock.now();
    let window = this.windows.get(id);
    if (!window || now - window.start >= this.rateWindowMs) {
      window?.timer?.cancel();
      window = { start: now, count: 0, suppressed: new Map(), timer: undefined };
      this.windows.set(id, window);
    }
    if (window.count < this.rateMax) {
      window.count += 1;
      return true;
    }
    window.suppressed.set(kind, (window.suppressed.get(kind) ?? 0) + 1);
    const current = window;
    current.timer ??= this.core.clock.setTimeout(
      () => this.summarize(id, current),
      Math.max(0, current.start + this.rateWindowMs - now),
    );
    return false;
  }

  private summarize(id: string, window: RateWindow): void {
    if (this.closed || window.suppressed.size === 0) return;
    this.windows.delete(id);
    const total = [...window.suppressed.values()].reduce((sum, n) => sum + n, 0);
    const kinds = [...window.suppressed].map(([kind, n]) => `${n} ${kind}`).join(', ');
    const record = this.records.get(id);
    const state = this.core.registry.statusOf(id).state;
    const next: SupervisionRecord | undefined = record && { ...record, counter: record.counter + 1 };
    if (next) this.records.set(id, next);
    const body =
      `${id}: ${total} more event${total === 1 ? '' : 's'} in the last ${seconds(this.rateWindowMs)} ` +
      `were held back to avoid a flood (${kinds}); it is ${state} now.`;
    void this.persist(next, { kind: 'summary', session: id, body, requestId: `${id}#${next?.counter ?? 0}` });
  }

  private deliveryFailed(message: Message, recipient: string, reason: string | null): void {
    if (this.closed || message.from === SYSTEM_SENDER || !this.supervised(recipient)) return;
    const requestId = `failed:${message.id}:${recipient}`;
    this.core.batcher.flush();
    if (this.core.journal.findByRequest(SYSTEM_SENDER, requestId)) return;
    if (!this.admit(recipient, 'delivery_failed')) return;
    const body = `a message to ${recipient} failed (${reason ?? 'no reason given'}): ${message.id} from ${message.from}.`;
    void this.persist(undefined, { kind: 'delivery_failed', session: recipient, body, requestId });
  }

  /** Saves the settled state and journals the event in one transaction, then routes it. */
  private async persist(record: SupervisionRecord | undefined, event: PendingEvent | undefined): Promise<void> {
    const core = this.core;
    const now = core.clock.now();
    const at = rfc3339(now);
    const recipients = event ? this.supervisorsOf(event.session) : [];
    const message: Message | undefined =
      event && recipients.length > 0
        ? {
            id: core.ids.next(),
            seq: 0,
            bundle: core.registry.bundle,
            from: SYSTEM_SENDER,
            to: recipients,
            cc: [],
            subject: `event: ${event.kind} ${event.session}`,
            body: event.body,
            reply_to: null,
            thread: '',
            request_id: event.requestId,
            created_at: at,
          }
        : undefined;
    if (message) message.thread = message.id;
    try {
      const seq = await core.batcher.write(() => {
        if (record) core.journal.saveSupervision(record, at);
        if (!message) return 0;
        if (core.journal.findByRequest(SYSTEM_SENDER, event?.requestId ?? '')) return 0;
        return core.journal.insertMessage({
          id: message.id,
          sender: SYSTEM_SENDER,
          to: message.to,
          cc: [],
          recipients: message.to,
          subject: message.subject,
          body: message.body,
          replyTo: null,
          thread: message.thread,
          requestId: message.request_id,
          fingerprint: null,
          createdAt: at,
        });
      });
      if (!message || seq === 0 || this.closed) return;
      const journaled = { ...message, seq };
      core.router.enqueue(journaled, recipients);
      core.notifier.publish('message.created', { message: journaled }, { kind: 'events' });
      for (const recipient of recipients) {
        core.notifier.publish(
          'inbox.updated',
          { unread: core.router.unreadOf(recipient), message_id: message.id },
          { kind: 'session', session: recipient },
        );
      }
      core.log.info('supervisor.event', { kind: event?.kind, session: event?.session, to: recipients });
    } catch (error) {
      core.log.error('supervisor.failed', { error: String(error), session: event?.session ?? record?.session });
    }
  }
}
