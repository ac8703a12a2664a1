// One prompt turn: inactivity timeout, pauses, cancel grace and shutdown.
import type { PromptResponse } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { PromptTurn } from '../../../src/transports/acp/prompt-turn.js';
import { ManualClock, settle } from './fakes.js';

function pending(): { promise: Promise<PromptResponse>; resolve: (r: PromptResponse) => void } {
  let resolve: (r: PromptResponse) => void = () => undefined;
  const promise = new Promise<PromptResponse>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PromptTurn', () => {
  it('ends with the stop reason and the coalesced text', async () => {
    const clock = new ManualClock();
    const turn = new PromptTurn({ clock, timeoutMs: 100 });
    const prompt = pending();
    const ended = turn.run(
      () => prompt.promise,
      () => undefined,
      new AbortController().signal,
    );
    turn.addText('a');
    turn.addText('b');
    prompt.resolve({ stopReason: 'refusal' });
    expect(await ended).toEqual({ kind: 'stopped', stopReason: 'refusal' });
    expect(turn.text).toBe('ab');
  });

  it('counts the timeout from the last activity, pauses it, and reports an ignored cancel', async () => {
    const clock = new ManualClock();
    const turn = new PromptTurn({ clock, timeoutMs: 100, graceMs: 50 });
    let cancels = 0;
    const ended = turn.run(
      () => new Promise(() => undefined),
      () => (cancels += 1),
      new AbortController().signal,
    );
    clock.advance(90);
    turn.touch();
    clock.advance(90);
    const resume = turn.pause();
    clock.advance(1000);
    expect(cancels).toBe(0);
    resume();
    resume();
    clock.advance(99);
    expect(cancels).toBe(0);
    clock.advance(1);
    expect(cancels).toBe(1);
    clock.advance(50);
    expect(await ended).toEqual({ kind: 'timeout', settled: false });
  });

  it('reports errors, and aborts at shutdown', async () => {
    const clock = new ManualClock();
    const failing = new PromptTurn({ clock, timeoutMs: 100 });
    expect(
      await failing.run(
        () => Promise.reject(new Error('boom')),
        () => undefined,
        new AbortController().signal,
      ),
    ).toEqual({
      kind: 'error',
      message: 'boom',
    });
    const stop = new AbortController();
    const aborted = new PromptTurn({ clock, timeoutMs: 100 }).run(
      () => new Promise(() => undefined),
      () => undefined,
      stop.signal,
    );
    await settle();
    stop.abort();
    expect(await aborted).toEqual({ kind: 'aborted' });
  });
});
