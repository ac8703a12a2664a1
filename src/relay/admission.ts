// Who may hold a connection to the relay. Connections come from pools with their own limits,
// so idle connections of one session (or a flood that never says hello) cannot take every
// slot: another session's `send` still gets in, and a full pool answers `relay_busy`.
import { AgentmuxError } from '../core/errors.js';

/** The connection limits of one relay. */
export interface ConnectionLimits {
  /** Every connection, whatever its state (file descriptors are finite). */
  total: number;
  /** Connections that have not said hello yet (each is closed after the hello timeout). */
  preHello: number;
  /** Connections bound to one session (its TUI, watch, MCP server, hooks and sends). */
  perSession: number;
  /** Observer connections (status tools that name no session), all together. */
  observers: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  total: 2048,
  preHello: 256,
  perSession: 64,
  observers: 256,
};

/** Which pool a bound connection counts against: a session id, or null for observers. */
export type PoolKey = string | null;

/** Counts connections per pool and refuses those that would exceed a limit. */
export class Admission {
  private readonly limits: ConnectionLimits;
  private total = 0;
  private preHello = 0;
  private observers = 0;
  private readonly perSession = new Map<string, number>();

  constructor(limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS) {
    this.limits = limits;
  }

  /** Admits a new, not yet hello'd connection, or returns the refusal to send it. */
  admit(): AgentmuxError | undefined {
    if (this.total >= this.limits.total) {
      return busy(`the relay holds its limit of ${this.limits.total} connections`, { limit: this.limits.total });
    }
    if (this.preHello >= this.limits.preHello) {
      return busy(`${this.limits.preHello} connections are waiting to say hello`, {
        limit: this.limits.preHello,
        pool: 'pre_hello',
      });
    }
    this.total += 1;
    this.preHello += 1;
    return undefined;
  }

  /** Moves an admitted connection into its session's pool at hello; throws relay_busy when full. */
  bind(pool: PoolKey): void {
    if (pool === null) {
      if (this.observers >= this.limits.observers) {
        throw busy(`${this.limits.observers} observer connections are open`, {
          limit: this.limits.observers,
          pool: 'observers',
        });
      }
      this.observers += 1;
    } else {
      const held = this.perSession.get(pool) ?? 0;
      if (held >= this.limits.perSession) {
        throw busy(`session ${pool} already holds ${held} connections`, {
          limit: this.limits.perSession,
          pool: 'session',
          session: pool,
        });
      }
      this.perSession.set(pool, held + 1);
    }
    this.preHello -= 1;
  }

  /** Releases a connection; `bound` is its pool if it said hello, undefined if it never did. */
  release(bound: { pool: PoolKey } | undefined): void {
    this.total -= 1;
    if (bound === undefined) {
      this.preHello -= 1;
    } else if (bound.pool === null) {
      this.observers -= 1;
    } else {
      const left = (this.perSession.get(bound.pool) ?? 1) - 1;
      if (left > 0) this.perSession.set(bound.pool, left);
      else this.perSession.delete(bound.pool);
    }
  }

  /** Current counts, for status and logs. */
  counts(): { total: number; preHello: number; observers: number } {
    return { total: this.total, preHello: this.preHello, observers: this.observers };
  }
}

function busy(message: string, details: Record<string, unknown>): AgentmuxError {
  return new AgentmuxError('relay_busy', message, { details });
}
