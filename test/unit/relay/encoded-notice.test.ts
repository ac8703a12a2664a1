// The one encoded copy of a notice that every subscriber's queue shares, and its release.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { encodedNotice } from '../../../src/relay/encoded-notice.js';
import { Notifier } from '../../../src/relay/notifier.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('encodedNotice', () => {
  it('encodes a notice once as a frame line, shared while anyone holds it', () => {
    const notice = new Notifier().publish('message.created', { message: { body: 'hi' } }, { kind: 'events' });
    const first = encodedNotice(notice);
    expect(encodedNotice(notice)).toBe(first);
    expect(JSON.parse(first.toString('utf8'))).toEqual({
      jsonrpc: '2.0',
      method: 'message.created',
      params: { message: { body: 'hi' }, seq: 1 },
    });
    expect(first.at(-1)).toBe(10);
  });

  it('lets the copy go once no queue holds it, though the replay ring keeps the notice', async () => {
    const notifier = new Notifier();
    notifier.publish('message.created', { message: { body: 'x'.repeat(256 * 1024) } }, { kind: 'events' });
    const [notice] = notifier.since(0);
    // Created in a helper so no local of this test holds the bytes themselves.
    const copy = ((): WeakRef<Buffer> => new WeakRef(encodedNotice(notice!)))();
    // WeakRef targets stay alive until the current job ends: collect on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(notifier.since(0)).toEqual([notice]);
    expect(copy.deref()).toBeUndefined();
    // A replay encodes it again.
    expect(JSON.parse(encodedNotice(notice!).toString('utf8')).params.seq).toBe(1);
  });
});
