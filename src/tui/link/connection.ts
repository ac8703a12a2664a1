// What the dashboard needs from a relay connection. An interface, so component and hook tests
// hand in a fake, and the real one (client-source.ts) can be reopened after a relay restart.
import type { MethodName, MethodParams, MethodResult } from '../../core/protocol/index.js';

/** One hello'd connection, as the dashboard uses it. */
export interface RelayConnection {
  /** Pid of the relay that answered hello; a different pid after a reconnect means a new relay. */
  readonly relayPid: number;
  /** A request with its validated result; rejects with an AgentmuxError. */
  request<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    options?: { timeoutMs?: number },
  ): Promise<MethodResult<M>>;
  /**
   * A request for a method this build may not know yet (`permission.*`); rejects with
   * `validation_unknown_method` when either end does not know it.
   */
  requestOptional(method: string, params: Record<string, unknown>): Promise<unknown>;
  /** Every notification by method name (params validated when the method is known); returns the removal. */
  onNotification(handler: (method: string, params: unknown) => void): () => void;
  /** Called once when the connection closes; returns the removal. */
  onClose(handler: () => void): () => void;
  /** Closes the connection (idempotent). */
  close(): void;
}

/** Opens connections; the dashboard calls it again after each loss. */
export interface RelaySource {
  /** Connects (starting the relay when allowed) and says hello. */
  connect(): Promise<RelayConnection>;
}
