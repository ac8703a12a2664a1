// Long waits over the relay that survive a relay restart: each round asks the relay (which
// reads the journal or registry, the truth) for at most MAX_WAIT_MS, and a lost connection is
// reopened and asked again until the caller's deadline.
import { sleep } from '../core/clock.js';
import { AgentmuxError, toAgentmuxError } from '../core/errors.js';
import { MAX_WAIT_MS } from '../core/protocol/index.js';
import type { RelayClient } from '../client/index.js';

/** Extra time a request may take beyond the wait it asked for. */
const ANSWER_SLACK_MS = 15_000;
/** Pause before reconnecting to a relay that went away. */
const RECONNECT_PAUSE_MS = 200;

/** One round: ask the relay to wait up to `waitMs`; `done` ends the loop early. */
export type WaitRound<T> = (
  client: RelayClient,
  waitMs: number,
  timeoutMs: number,
) => Promise<{ done: boolean; value: T }>;

function lostConnection(error: unknown): boolean {
  const coded = toAgentmuxError(error);
  return coded.code === 'relay_unavailable';
}

/** Runs rounds until one is done or `timeoutMs` passes; returns the last round's value. */
export async function waitThroughRelay<T>(
  connect: () => Promise<RelayClient>,
  round: WaitRound<T>,
  timeoutMs: number,
): Promise<{ done: boolean; value: T }> {
  const deadline = Date.now() + timeoutMs;
  let last: { done: boolean; value: T } | undefined;
  let lastError: unknown;
  while (last === undefined || (!last.done && Date.now() < deadline)) {
    let client: RelayClient;
    try {
      client = await connect();
    } catch (error) {
      if (!lostConnection(error) || Date.now() >= deadline) throw error;
      lastError = error;
      await sleep(RECONNECT_PAUSE_MS);
      continue;
    }
    try {
      do {
        const waitMs = Math.min(MAX_WAIT_MS, Math.max(0, deadline - Date.now()));
        last = await round(client, waitMs, waitMs + ANSWER_SLACK_MS);
      } while (!last.done && Date.now() < deadline);
    } catch (error) {
      if (!lostConnection(error)) throw error;
      lastError = error;
      if (Date.now() >= deadline && last === undefined) throw error;
      await sleep(RECONNECT_PAUSE_MS);
    } finally {
      client.close();
    }
  }
  if (last === undefined) {
    throw lastError instanceof Error ? lastError : new AgentmuxError('relay_unavailable', 'the relay did not answer');
  }
  return last;
}
