// The one reconnect loop (dashboard link, MCP background link, `watch`), on a manual clock:
// backoff doubles per failure in a row and resets after a connection that lasted, `wanted`
// and `stop` end it, and `stop` cuts a wait short.
import { describe, expect, it } from 'vitest';
import { ReconnectLoop, backoffDelay, type ReconnectWait } from '../../../src/client/reconnect-loop.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** Lets pending promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** A scripted connectOnce: each pass takes the next outcome, 'up' waits for `dropConnection`. */
function script(outcomes: ('fail' | 'up')[]): {
  connectOnce: () => Promise<void>;
  passes: () => number;
  dropConnection: () => void;
} {
  let passes = 0;
  let drop: (() => void) | undefined;
  return {
    connectOnce: () => {
      const outcome = outcomes[passes] ?? 'fail';
      passes += 1;
      if (outcome === 'fail') return Promise.reject(new Error(`refused ${passes}`));
      return new Promise<void>((resolve) => (drop = resolve));
    },
    passes: () => passes,
    dropConnection: () => drop?.(),
  };
}

describe('backoffDelay', () => {
  it('starts at the first wait, doubles per failure and stops at the largest', () => {
    const backoff = { firstMs: 200, maxMs: 2000 };
    expect([1, 2, 3, 4, 5, 6, 50].map((failures) => backoffDelay(failures, backoff))).toEqual([
      200, 400, 800, 1600, 2000, 2000, 2000,
    ]);
  });
});

describe('ReconnectLoop', () => {
  it('backs off while connecting fails, and starts over after a connection that lasted', async () => {
    const clock = new ManualClock();
    const passes = script(['fail', 'fail', 'up', 'fail']);
    const waits: ReconnectWait[] = [];
    const loop = new ReconnectLoop({
      connectOnce: passes.connectOnce,
      backoff: { firstMs: 100, maxMs: 1000 },
      clock,
      onWait: (wait) => waits.push(wait),
    });
    void loop.start();
    await settle();
    expect(passes.passes()).toBe(1);
    expect(clock.pending).toEqual([100]);
    clock.advance(99);
    await settle();
    expect(passes.passes()).toBe(1);
    clock.advance(1);
    await settle();
    expect(passes.passes()).toBe(2);
    expect(clock.pending).toEqual([200]);
    clock.advance(200);
    await settle();
    // Connected: no timer while the connection lasts.
    expect(passes.passes()).toBe(3);
    expect(clock.pending).toEqual([]);
    passes.dropConnection();
    await settle();
    expect(clock.pending).toEqual([100]);
    clock.advance(100);
    await settle();
    expect(passes.passes()).toBe(4);
    expect(waits.map((w) => [w.failures, w.delayMs, w.error === undefined])).toEqual([
      [1, 100, false],
      [2, 200, false],
      [1, 100, true],
      [2, 200, false],
    ]);
    loop.stop();
  });

  it('stop ends a wait at once and starts no further pass', async () => {
    const clock = new ManualClock();
    const passes = script([]);
    const loop = new ReconnectLoop({ connectOnce: passes.connectOnce, backoff: { firstMs: 100, maxMs: 100 }, clock });
    const ended = loop.start();
    await settle();
    expect(loop.active).toBe(true);
    loop.stop();
    await ended;
    expect(loop.active).toBe(false);
    clock.advance(10_000);
    await settle();
    expect(passes.passes()).toBe(1);
  });

  it('runs only while wanted, and can be started again', async () => {
    const clock = new ManualClock();
    let wanted = true;
    const passes = script(['up', 'fail', 'fail']);
    const attempts: (ReconnectWait | undefined)[] = [];
    const loop = new ReconnectLoop({
      connectOnce: passes.connectOnce,
      backoff: { firstMs: 50, maxMs: 50 },
      clock,
      wanted: () => wanted,
      onAttempt: (previous) => attempts.push(previous),
    });
    const first = loop.start();
    await settle();
    wanted = false;
    passes.dropConnection();
    await first;
    expect(clock.pending).toEqual([]);
    expect(passes.passes()).toBe(1);
    wanted = true;
    void loop.start();
    await settle();
    expect(passes.passes()).toBe(2);
    expect(attempts).toEqual([undefined, undefined]);
    clock.advance(50);
    await settle();
    expect(passes.passes()).toBe(3);
    expect(attempts[2]).toMatchObject({ failures: 1, delayMs: 50 });
    loop.stop();
  });
});
