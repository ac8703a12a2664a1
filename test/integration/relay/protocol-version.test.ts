// A client of another protocol version hears exactly that (validation_protocol_version, with
// both versions), not that its params are invalid; the connection stays usable.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOperatorKey } from '../../../src/runtime/operator-key.js';
import { stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo } from '../../helpers/client.js';
import { RawSocket, codeOf } from '../../helpers/raw-connection.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'proto';
let roots: TempRoots;

beforeAll(async () => {
  roots = makeTempRoots('proto');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }]);
  (await connectTo(roots, BUNDLE, 'alice')).close();
}, 60_000);

afterAll(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
}, 60_000);

describe('protocol version', () => {
  it('answers a hello of another version with validation_protocol_version', async () => {
    const bundleDir = join(roots.stateDir, 'bundles', BUNDLE);
    const connection = await RawSocket.open(join(bundleDir, 'relay.sock'));
    const hello = {
      bundle: BUNDLE,
      session: 'alice',
      client: { name: 'future', version: '9' },
      credential: readOperatorKey(bundleDir),
    };
    const refused = await connection.request(1, 'hello', { ...hello, protocol: 2 });
    expect(codeOf(refused)).toBe('validation_protocol_version');
    expect(refused.error?.data?.details).toEqual({ client: 2, relay: 1 });
    expect(refused.error?.data?.hint).toMatch(/upgrade agentmux/);
    const bound = await connection.request(2, 'hello', { ...hello, protocol: 1 });
    expect(bound.error).toBeUndefined();
    connection.close();
  });
});
