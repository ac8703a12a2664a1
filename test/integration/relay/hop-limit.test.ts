// Two agents cannot answer each other forever: a thread stops after THREAD_HOP_LIMIT agent
// messages until an operator speaks in it.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { THREAD_HOP_LIMIT } from '../../../src/relay/handlers/send.js';
import { stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'hops';
let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('hops');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

it('refuses agent replies past the hop limit until an operator replies', async () => {
  const alice = await connectTo(roots, BUNDLE, 'alice');
  const bob = await connectTo(roots, BUNDLE, 'bob');
  const user = await connectTo(roots, BUNDLE, 'user');
  try {
    let last = (await alice.request('send', { to: ['bob'], body: 'ping 0' })).message_id;
    for (let i = 1; i < THREAD_HOP_LIMIT; i += 1) {
      const from = i % 2 === 0 ? alice : bob;
      last = (await from.request('send', { to: [i % 2 === 0 ? 'bob' : 'alice'], body: `ping ${i}`, reply_to: last }))
        .message_id;
    }
    const refused = await alice
      .request('send', { to: ['bob'], body: 'one too many', reply_to: last })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AgentmuxError);
    expect((refused as AgentmuxError).code).toBe('validation_hop_limit');

    const nudge = await user.request('send', { to: ['alice'], body: 'carry on', reply_to: last });
    const resumed = await alice.request('send', { to: ['bob'], body: 'carrying on', reply_to: nudge.message_id });
    expect(resumed.thread).toBe(nudge.thread);
  } finally {
    alice.close();
    bob.close();
    user.close();
  }
});
