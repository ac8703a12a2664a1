// Scenario 3: identity and policy. Every method is tried before hello, as the wrong session,
// role or bundle, and under policies that deny it. Identity questions (who are you?) are
// refused with their validation code, policy questions (may you?) with
// `authorization_forbidden`; raww/look/up/down follow the configured policies both ways.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { codeOf, helloParams, openRaw, operatorKey } from '../lib/raw.mjs';
import { createFixture, disposeFixture, relayPid, upAgents } from '../lib/fixture.mjs';

const ALL_METHODS = [
  'send',
  'inbox.fetch',
  'inbox.ack',
  'history.search',
  'thread.get',
  'list',
  'look',
  'raww',
  'up',
  'down',
  'subscribe',
  'status',
  'relay.shutdown',
  'session.report',
  'permission.list',
  'permission.approve',
  'permission.deny',
];

export async function runIdentity() {
  const fixture = createFixture({
    name: 'identity',
    sockets: ['alice', 'bob', 'trusted', 'mute'],
    agents: ['pane'],
    policies: {
      trusted: { raww: 'all:home', lifecycle: 'all:home', history: 'all:home' },
      mute: { send: 'none', look: 'none', list: 'none' },
    },
    assign: { trusted: 'trusted', mute: 'mute' },
  });
  // A second bundle whose member must not be reachable from this one.
  writeFileSync(
    join(fixture.roots.configDir, 'bundles', 'other.toml'),
    `format-version = 1\n\n[[sessions]]\nid = "eve"\ndirectory = ${JSON.stringify(fixture.root)}\n`,
  );
  const failures = [];
  const opened = [];
  const tally = { identity: 0, policy: 0, allowed: 0, codes: new Set() };
  let n = 0;
  const as = async (session, role) => {
    const raw = await openRaw(fixture.socket);
    opened.push(raw);
    if (session !== null) {
      // The harness is the user's own process: a session is proven with the operator key.
      const credential = session === undefined ? undefined : operatorKey(fixture.socket);
      const hello = await raw.request('h', 'hello', helloParams(fixture.bundle, session, role, credential));
      if (hello.error) throw new Error(`hello as ${session}: ${codeOf(hello)}`);
    }
    return raw;
  };
  /** Expects `code` (a refusal) or a result when `code` is undefined. */
  const expect = async (raw, label, method, params, code, kind) => {
    n += 1;
    const frame = await raw.request(n, method, params, 30_000);
    const got = codeOf(frame);
    if (got !== code) failures.push(`${label}: ${method} expected ${code ?? 'a result'}, got ${got ?? 'a result'}`);
    else if (code === undefined) tally.allowed += 1;
    else {
      tally[kind] += 1;
      tally.codes.add(code);
    }
    return frame;
  };
  try {
    await upAgents(fixture);
    const pid = relayPid(fixture);
    const bob = await as('bob');
    const sent = await expect(bob, 'bob', 'send', { to: ['bob'], body: 'private note to self' }, undefined);
    const privateId = sent.result?.message_id;

    // Identity: no hello, wrong session, wrong bundle, wrong role, a second hello, a claimed sender.
    const anon = await as(null);
    for (const method of ALL_METHODS)
      await expect(anon, 'before hello', method, {}, 'validation_missing_hello', 'identity');
    const id = (p) => helloParams(fixture.bundle, ...p);
    await expect(anon, 'unknown session', 'hello', id(['mallory']), 'validation_unknown_session', 'identity');
    await expect(anon, 'other bundle member', 'hello', id(['eve']), 'validation_unknown_session', 'identity');
    await expect(
      anon,
      'unknown bundle',
      'hello',
      { ...id(['alice']), bundle: 'nope' },
      'validation_unknown_bundle',
      'identity',
    );
    await expect(anon, 'agent as operator', 'hello', id(['alice', 'operator']), 'validation_role_mismatch', 'identity');
    await expect(anon, 'operator as agent', 'hello', id(['user', 'agent']), 'validation_role_mismatch', 'identity');
    await expect(anon, 'claimed uid', 'hello', { ...id(['alice']), uid: 0 }, 'validation_invalid_params', 'identity');
    // Proof: a session named without a credential, or with another session's (bob's pane).
    const bobToken = createHmac('sha256', operatorKey(fixture.socket)).update('agent\0bob').digest('hex');
    await expect(anon, 'no credential', 'hello', id(['alice']), 'authorization_unproven_identity', 'identity');
    for (const session of ['alice', 'user']) {
      const claim = id([session, undefined, bobToken]);
      await expect(
        anon,
        `bob's credential as ${session}`,
        'hello',
        claim,
        'authorization_unproven_identity',
        'identity',
      );
    }
    const alice = await as('alice');
    await expect(alice, 'second hello', 'hello', id(['bob']), 'validation_duplicate_hello', 'identity');
    for (const field of ['from', 'sender', 'sender_session', 'session']) {
      await expect(
        alice,
        `claimed ${field}`,
        'send',
        { to: ['bob'], body: 'spoof', [field]: 'bob' },
        'validation_invalid_params',
        'identity',
      );
    }
    await expect(
      alice,
      'other bundle recipient',
      'send',
      { to: ['eve'], body: 'x' },
      'validation_unknown_target',
      'identity',
    );
    // Acking someone else's message changes nothing of theirs.
    const ack = await expect(alice, 'ack of bob mail', 'inbox.ack', { ids: [privateId] }, undefined);
    if (ack.result?.acked?.length !== 0) failures.push(`alice acked bob's message: ${JSON.stringify(ack.result)}`);
    const bobInbox = await expect(bob, 'bob inbox', 'inbox.fetch', { unread_only: true }, undefined);
    if (!bobInbox.result?.messages?.some((m) => m.id === privateId))
      failures.push("alice's ack marked bob's message read");

    // Policy: the default agent policy denies raww, lifecycle and grants; history is self only.
    await expect(alice, 'agent', 'raww', { target: 'pane', keys: ['C-u'] }, 'authorization_forbidden', 'policy');
    await expect(alice, 'agent', 'up', { sessions: ['pane'] }, 'authorization_forbidden', 'policy');
    await expect(alice, 'agent', 'down', { sessions: ['pane'] }, 'authorization_forbidden', 'policy');
    await expect(alice, 'agent', 'relay.shutdown', {}, 'authorization_forbidden', 'policy');
    await expect(alice, 'agent', 'permission.list', {}, 'authorization_forbidden', 'policy');
    await expect(alice, 'agent', 'look', { target: 'pane', lines: 5 }, undefined);
    const history = await expect(alice, 'agent history', 'history.search', { session: 'bob' }, undefined);
    if (history.result?.messages?.some((m) => m.id === privateId))
      failures.push("alice's history shows bob's private note");
    // A thread outside the agent's history scope does not exist for it (not even a "forbidden").
    await expect(alice, 'agent thread', 'thread.get', { id: privateId }, 'validation_unknown_message', 'policy');
    const mute = await as('mute');
    await expect(mute, 'send none', 'send', { to: ['bob'], body: 'x' }, 'authorization_forbidden', 'policy');
    await expect(mute, 'look none', 'look', { target: 'pane' }, 'authorization_forbidden', 'policy');
    await expect(mute, 'list none', 'list', {}, 'authorization_forbidden', 'policy');
    const observer = await as(undefined, 'observer');
    await expect(observer, 'observer', 'send', { to: ['bob'], body: 'x' }, 'authorization_forbidden', 'policy');
    await expect(observer, 'observer', 'inbox.fetch', {}, 'authorization_forbidden', 'policy');
    await expect(observer, 'observer', 'raww', { target: 'pane', keys: ['C-u'] }, 'authorization_forbidden', 'policy');
    await expect(observer, 'observer', 'look', { target: 'pane' }, 'authorization_forbidden', 'policy');
    await expect(observer, 'observer', 'up', { sessions: ['pane'] }, 'authorization_forbidden', 'policy');
    await expect(observer, 'observer', 'down', { sessions: ['pane'] }, 'authorization_forbidden', 'policy');
    await expect(observer, 'observer', 'relay.shutdown', {}, 'authorization_forbidden', 'policy');
    await expect(observer, 'observer', 'status', {}, undefined);
    // And allowed where the policy allows it.
    const trusted = await as('trusted');
    await expect(trusted, 'trusted agent', 'raww', { target: 'pane', keys: ['C-u'] }, undefined);
    await expect(trusted, 'trusted agent', 'up', { sessions: ['pane'] }, undefined);
    const user = await as('user');
    await expect(user, 'operator', 'raww', { target: 'pane', keys: ['C-u'] }, undefined);
    await expect(user, 'operator', 'look', { target: 'pane' }, undefined);
    await expect(user, 'operator', 'history.search', { session: 'bob' }, undefined);
    if (relayPid(fixture) !== pid) failures.push('the relay restarted during the scenario');
    return {
      scenario: '3 identity and policy',
      load: `${n} requests`,
      faults: `${tally.identity} wrong identity, ${tally.policy} denied by policy`,
      accepted: tally.allowed,
      // No delivery is checked here: a loss or duplicate figure would be a constant, not a count.
      delivered: '—',
      lost: '—',
      duplicated: '—',
      maxLatency: '—',
      extra: `identity → validation_* (${[...tally.codes].filter((c) => c.startsWith('validation')).length} codes); policy → authorization_forbidden`,
      failures,
    };
  } finally {
    for (const raw of opened) raw.close();
    await disposeFixture(fixture);
  }
}
