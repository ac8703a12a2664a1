// The relay-only environment: whatever the spawner changed for the relay process (malloc
// thresholds, heap flags, the extra CA file) is given back to what the relay starts, in one step.
import { describe, expect, it } from 'vitest';
import { withRelayAllocator } from '../../../src/runtime/relay-allocator.js';
import { relayExtraCaCertsLeftOut } from '../../../src/runtime/relay-ca-certs.js';
import { callerValueRestored, restoreCallerEnv, withRelayOnly } from '../../../src/runtime/relay-env.js';
import { withRelayHeapLimits } from '../../../src/runtime/relay-heap.js';

describe('the relay-only environment', () => {
  it("restores every variable the spawner changed, whichever setting changed it, to the caller's value", () => {
    const caller = { HOME: '/h', NODE_OPTIONS: '--trace-warnings', NODE_EXTRA_CA_CERTS: '/etc/extra.pem' };
    const relay = withRelayHeapLimits(withRelayAllocator(withRelayOnly(caller, { NODE_EXTRA_CA_CERTS: undefined })));
    expect(relay.NODE_EXTRA_CA_CERTS).toBeUndefined();
    expect(relay.NODE_OPTIONS).not.toBe('--trace-warnings');
    expect(relay.MALLOC_MMAP_THRESHOLD_).toBeDefined();
    restoreCallerEnv(relay);
    expect(relay).toEqual(caller);
    expect(caller).toEqual({ HOME: '/h', NODE_OPTIONS: '--trace-warnings', NODE_EXTRA_CA_CERTS: '/etc/extra.pem' });
    expect(relayExtraCaCertsLeftOut()).toBe('/etc/extra.pem');
  });

  it('records the first caller value when a variable is changed twice', () => {
    const twice = withRelayOnly(withRelayOnly({ A: 'caller' }, { A: 'one' }), { A: 'two' });
    expect(twice.A).toBe('two');
    restoreCallerEnv(twice);
    expect(twice).toEqual({ A: 'caller' });
  });

  it('changes nothing in an environment the spawner did not touch, and ignores a garbled record', () => {
    const untouched = { HOME: '/h' };
    expect(restoreCallerEnv(untouched)).toEqual({});
    expect(untouched).toEqual({ HOME: '/h' });
    const garbled: NodeJS.ProcessEnv = { HOME: '/h', AGENTMUX_RELAY_CALLER_ENV: '{not json' };
    restoreCallerEnv(garbled);
    expect(garbled).toEqual({ HOME: '/h' });
    expect(callerValueRestored('HOME')).toBeUndefined();
  });
});
