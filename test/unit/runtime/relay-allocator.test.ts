// The relay's malloc settings: added for the relay process unless the caller chose them, and
// removed again inside the relay so what it starts does not inherit them.
import { describe, expect, it } from 'vitest';
import {
  RELAY_MMAP_THRESHOLD_BYTES,
  RELAY_TRIM_THRESHOLD_BYTES,
  withRelayAllocator,
} from '../../../src/runtime/relay-allocator.js';
import { restoreCallerEnv } from '../../../src/runtime/relay-env.js';

describe('the relay allocator setting', () => {
  it('fixes the mmap threshold for the relay, leaving the caller environment untouched', () => {
    const caller = { PATH: '/bin', HOME: '/home/u' };
    const relay = withRelayAllocator(caller);
    expect(relay.MALLOC_MMAP_THRESHOLD_).toBe(String(RELAY_MMAP_THRESHOLD_BYTES));
    expect(relay).toMatchObject(caller);
    expect(caller).toEqual({ PATH: '/bin', HOME: '/home/u' });
  });

  it('raises the trim threshold, so the heap is not shrunk and grown again with every message', () => {
    const relay = withRelayAllocator({ PATH: '/bin' });
    expect(relay.MALLOC_TRIM_THRESHOLD_).toBe(String(RELAY_TRIM_THRESHOLD_BYTES));
    expect(RELAY_TRIM_THRESHOLD_BYTES).toBeGreaterThan(128 * 1024);
  });

  it("keeps the caller's own choice of each threshold", () => {
    expect(withRelayAllocator({ MALLOC_MMAP_THRESHOLD_: '65536' })).toMatchObject({
      MALLOC_MMAP_THRESHOLD_: '65536',
      MALLOC_TRIM_THRESHOLD_: String(RELAY_TRIM_THRESHOLD_BYTES),
    });
    const tunables = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=262144:glibc.malloc.trim_threshold=1048576' };
    expect(withRelayAllocator(tunables)).toEqual(tunables);
    const both = { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '0' };
    expect(withRelayAllocator(both)).toEqual(both);
  });

  it('is removed from the running relay only when the spawner added it', () => {
    const added = withRelayAllocator({ PATH: '/bin' });
    restoreCallerEnv(added);
    expect(added).toEqual({ PATH: '/bin' });
    const own = withRelayAllocator({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072' });
    restoreCallerEnv(own);
    expect(own).toEqual({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072' });
  });
});
