// The relay's malloc setting: added for the relay process unless the caller chose one, and
// removed again inside the relay so what it starts does not inherit it.
import { describe, expect, it } from 'vitest';
import {
  RELAY_MMAP_THRESHOLD_BYTES,
  forgetRelayAllocator,
  withRelayAllocator,
} from '../../../src/runtime/relay-allocator.js';

describe('the relay allocator setting', () => {
  it('fixes the mmap threshold for the relay, leaving the caller environment untouched', () => {
    const caller = { PATH: '/bin', HOME: '/home/u' };
    const relay = withRelayAllocator(caller);
    expect(relay.MALLOC_MMAP_THRESHOLD_).toBe(String(RELAY_MMAP_THRESHOLD_BYTES));
    expect(relay).toMatchObject(caller);
    expect(caller).toEqual({ PATH: '/bin', HOME: '/home/u' });
  });

  it("keeps the caller's own choice of threshold", () => {
    expect(withRelayAllocator({ MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({ MALLOC_MMAP_THRESHOLD_: '65536' });
    const tunables = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=262144' };
    expect(withRelayAllocator(tunables)).toEqual(tunables);
  });

  it('is removed from the running relay only when the spawner added it', () => {
    const added = withRelayAllocator({ PATH: '/bin' });
    forgetRelayAllocator(added);
    expect(added).toEqual({ PATH: '/bin' });
    const own = withRelayAllocator({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072' });
    forgetRelayAllocator(own);
    expect(own).toEqual({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072' });
  });
});
