// The collection after dropped clients: one per burst, once the relay is quiet, bounded under
// steady output; and the default collector really collects.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryRelease, type ReleaseReport } from '../../../src/relay/memory-release.js';

describe('MemoryRelease', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function fakeRelease(options: { quietMs: number; maxDelayMs: number }): {
    release: MemoryRelease;
    reports: ReleaseReport[];
    collections: number[];
  } {
    const reports: ReleaseReport[] = [];
    const collections: number[] = [];
    const release = new MemoryRelease({
      ...options,
      collect: () => collections.push(performance.now()),
      onReleased: (report) => reports.push(report),
    });
    return { release, reports, collections };
  }

  it('collects once for a burst of drops, when no output followed them', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { release, reports } = fakeRelease({ quietMs: 1000, maxDelayMs: 10_000 });
    release.noteDrop();
    release.noteDrop();
    release.noteDrop();
    vi.advanceTimersByTime(999);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(reports).toEqual([{ trigger: 'quiet', dropped: 3, waitedMs: 1000, collectMs: 0 }]);
    vi.advanceTimersByTime(60_000);
    expect(reports).toHaveLength(1);
  });

  it('waits while output keeps flowing and collects once it stops', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { release, reports } = fakeRelease({ quietMs: 1000, maxDelayMs: 10_000 });
    release.noteDrop();
    for (let ms = 0; ms < 4000; ms += 100) {
      release.noteWrite();
      vi.advanceTimersByTime(100);
    }
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(2000);
    expect(reports).toEqual([{ trigger: 'quiet', dropped: 1, waitedMs: 5000, collectMs: 0 }]);
  });

  it('under steady output collects at the longest wait, then once more when it goes quiet', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { release, reports } = fakeRelease({ quietMs: 1000, maxDelayMs: 5000 });
    release.noteDrop();
    release.noteDrop();
    for (let ms = 0; ms < 20_000; ms += 100) {
      release.noteWrite();
      vi.advanceTimersByTime(100);
    }
    expect(reports).toEqual([{ trigger: 'busy', dropped: 2, waitedMs: 5000, collectMs: 0 }]);
    vi.advanceTimersByTime(2000);
    expect(reports.map((r) => [r.trigger, r.dropped])).toEqual([
      ['busy', 2],
      ['quiet', 0],
    ]);
  });

  it('collects nothing once stopped', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { release, collections } = fakeRelease({ quietMs: 1000, maxDelayMs: 10_000 });
    release.noteDrop();
    release.stop();
    release.noteDrop();
    vi.advanceTimersByTime(60_000);
    expect(collections).toEqual([]);
  });

  it("by default runs V8's full collection, which frees what nothing references any more", async () => {
    const released = new Promise<ReleaseReport>((resolve) => {
      new MemoryRelease({ quietMs: 1, onReleased: resolve }).noteDrop();
    });
    // Created in a helper so no local of this test holds the buffer itself.
    const dropped = ((): WeakRef<Buffer> => new WeakRef(Buffer.alloc(256 * 1024, 1)))();
    // WeakRef targets stay alive until the current job ends: the collection runs on a later turn.
    await released;
    expect(dropped.deref()).toBeUndefined();
  });
});
