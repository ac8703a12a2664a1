// One prompt turn: sends `session/prompt`, coalesces the streamed answer, and bounds the wait
// by the coder's turn-timeout-ms counted from the agent's last sign of life (paused while a
// permission request waits for an operator). On timeout the agent gets `session/cancel` and a
// short grace to answer; one that ignores it is reported so the worker can restart it.
import type { PromptResponse } from '@agentclientprotocol/sdk';
import type { Clock } from '../../core/clock.js';

/** Longest wait for an agent to answer `session/cancel` after a turn timed out. */
export const MAX_CANCEL_GRACE_MS = 5000;

/** How a turn ended. */
export type TurnEnd =
  | { kind: 'stopped'; stopReason: string }
  | { kind: 'error'; message: string }
  /** `settled`: the agent answered the prompt after `session/cancel` (false: it ignored it). */
  | { kind: 'timeout'; settled: boolean }
  /** The relay is shutting down. */
  | { kind: 'aborted' };

export interface PromptTurnOptions {
  clock: Clock;
  timeoutMs: number;
  /** Default: min(MAX_CANCEL_GRACE_MS, timeoutMs). */
  graceMs?: number;
}

/** A running prompt turn; the worker feeds it the agent's activity. */
export class PromptTurn {
  private answer = '';
  private pauses = 0;
  private timer: { cancel(): void } | undefined;
  private expired: (() => void) | undefined;
  private finished = false;

  constructor(private readonly options: PromptTurnOptions) {}

  /** The agent's streamed answer so far (its `agent_message_chunk` texts, in order). */
  get text(): string {
    return this.answer;
  }

  /** Adds a streamed answer chunk (also a sign of life). */
  addText(chunk: string): void {
    this.answer += chunk;
    this.touch();
  }

  /** Any update from the agent: the inactivity clock starts again. */
  touch(): void {
    if (this.finished || this.pauses > 0 || !this.expired) return;
    this.arm();
  }

  /** Stops the clock (a permission request is waiting); the returned function restarts it. */
  pause(): () => void {
    this.pauses += 1;
    this.timer?.cancel();
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.pauses -= 1;
      this.touch();
    };
  }

  /** Runs the turn: `send` issues the prompt, `cancel` sends `session/cancel`. Never rejects. */
  run(send: () => Promise<PromptResponse>, cancel: () => void, signal: AbortSignal): Promise<TurnEnd> {
    const { clock, timeoutMs } = this.options;
    const graceMs = this.options.graceMs ?? Math.min(MAX_CANCEL_GRACE_MS, timeoutMs);
    return new Promise<TurnEnd>((resolve) => {
      let timedOut = false;
      let grace: { cancel(): void } | undefined;
      const onAbort = (): void => finish({ kind: 'aborted' });
      const finish = (end: TurnEnd): void => {
        if (this.finished) return;
        this.finished = true;
        this.timer?.cancel();
        grace?.cancel();
        signal.removeEventListener('abort', onAbort);
        resolve(end);
      };
      this.expired = () => {
        if (timedOut || this.finished) return;
        timedOut = true;
        cancel();
        grace = clock.setTimeout(() => finish({ kind: 'timeout', settled: false }), graceMs);
      };
      if (signal.aborted) {
        finish({ kind: 'aborted' });
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      send().then(
        (response) =>
          finish(timedOut ? { kind: 'timeout', settled: true } : { kind: 'stopped', stopReason: response.stopReason }),
        (error: unknown) =>
          finish(
            timedOut
              ? { kind: 'timeout', settled: true }
              : { kind: 'error', message: error instanceof Error ? error.message : String(error) },
          ),
      );
      if (this.pauses === 0) this.arm();
    });
  }

  private arm(): void {
    this.timer?.cancel();
    const expired = this.expired;
    if (!expired) return;
    this.timer = this.options.clock.setTimeout(expired, this.options.timeoutMs);
  }
}
