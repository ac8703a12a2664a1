// Connection limits against the real relay process: a flood of connections, at the limit or
// past it, never ends the relay, and idle connections of one session never lock out another.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS } from '../../../src/relay/admission.js';
import { readOperatorKey } from '../../../src/runtime/operator-key.js';
import { relayPid, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { RawSocket, codeOf, type RawFrame } from '../../helpers/raw-connection.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'limits';
const FLOOD = 2100;

let roots: TempRoots | undefined;
const opened: RawSocket[] = [];

/** A fresh bundle with a running relay; returns its socket and pid. */
async function startRelay(): Promise<{ socket: string; pid: number }> {
  roots = makeTempRoots('limits');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
  (await connectTo(roots, BUNDLE, 'bob')).close();
  const pid = relayPid(roots, BUNDLE);
  if (pid === undefined) throw new Error('relay did not start');
  return { socket: join(roots.stateDir, 'bundles', BUNDLE, 'relay.sock'), pid };
}

/** Opens `count` raw connections, `batch` at a time, each running `then` once connected. */
async function flood(
  socket: string,
  count: number,
  then: (connection: RawSocket, index: number) => Promise<void> = () => Promise.resolve(),
  batch = 100,
): Promise<RawSocket[]> {
  const all: RawSocket[] = [];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const connections = await Promise.all(Array.from({ length: size }, () => RawSocket.open(socket)));
    opened.push(...connections);
    await Promise.all(connections.map((connection, i) => then(connection, start + i)));
    all.push(...connections);
  }
  return all;
}

const hello = (session: string): Record<string, unknown> => ({
  protocol: 1,
  bundle: BUNDLE,
  session,
  client: { name: 'flood', version: '0' },
  // The test's own process proves itself with the bundle's operator key, as the CLI does.
  credential: readOperatorKey(join((roots as TempRoots).stateDir, 'bundles', BUNDLE)),
});

afterEach(async () => {
  for (const connection of opened.splice(0)) connection.close();
  if (roots) {
    await stopRelay(roots, BUNDLE);
    roots.cleanup();
    roots = undefined;
  }
}, 60_000);

describe('a flood of connections', () => {
  it(
    'survives clients that connect and leave at once while it is full, answering relay_busy',
    { timeout: 120_000 },
    async () => {
      const relay = await startRelay();
      const held = await flood(relay.socket, FLOOD);
      // The CLI's own reachability probe does exactly this: connect, then hang up at once.
      for (let i = 0; i < 50; i += 1) {
        const probe = await RawSocket.open(relay.socket);
        probe.close();
        await probe.whenClosed;
      }
      // Connections past a limit are answered with relay_busy and closed; wait for one.
      const refused = await Promise.race(
        held.map((connection) => connection.next((frame) => frame.id === null).then(() => connection)),
      );
      const refusal = refused.frames.find((frame) => frame.id === null) as RawFrame;
      await refused.whenClosed;
      for (const connection of opened.splice(0)) connection.close();

      // Clients auto-start a relay, so a crash would be hidden by a new one: compare pids.
      const status = await runCli(roots as TempRoots, ['relay', 'status', '--bundle', BUNDLE, '--json']);
      expect(JSON.parse(status.stdout)).toMatchObject({ state: 'running', pid: relay.pid });
      // The relay frees the slots as it sees the hang-ups; the send goes through once it has.
      await waitFor(
        async () => (await runCli(roots as TempRoots, ['send', '-t', 'alice', '-m', 'after the flood'])).code === 0,
        30_000,
        'a send after the flood',
      );
      expect(relayPid(roots as TempRoots, BUNDLE)).toBe(relay.pid);
      expect(codeOf(refusal)).toBe('relay_busy');
      expect(refusal.error?.data?.hint).toMatch(/connection limit/);
    },
  );

  it(
    'caps the connections of one session so another session still sends; the capped one hears relay_busy',
    { timeout: 120_000 },
    async () => {
      const relay = await startRelay();
      const answers: RawFrame[] = [];
      await flood(relay.socket, FLOOD, async (connection, index) => {
        answers.push(await connection.request(index, 'hello', hello('alice')));
      });
      const bound = answers.filter((frame) => frame.result !== undefined);
      const busy = answers.filter((frame) => codeOf(frame) === 'relay_busy');
      expect(bound).toHaveLength(DEFAULT_CONNECTION_LIMITS.perSession);
      expect(busy).toHaveLength(FLOOD - DEFAULT_CONNECTION_LIMITS.perSession);
      expect(busy[0]?.error?.data?.details).toMatchObject({ pool: 'session', session: 'alice' });

      // The operator, and bob, are not locked out by alice's idle connections.
      const fromUser = await runCli(roots as TempRoots, ['send', '-t', 'alice', '-m', 'still reachable']);
      expect(fromUser.code, fromUser.stderr).toBe(0);
      const bob = await connectTo(roots as TempRoots, BUNDLE, 'bob');
      await bob.request('send', { to: ['alice'], body: 'me too' });
      bob.close();

      // alice herself is told the truth: busy, with a hint, not "start the relay".
      const fromAlice = await runCli(roots as TempRoots, ['send', '--as-session', 'alice', '-t', 'bob', '-m', 'hi']);
      expect(fromAlice.code).toBe(1);
      expect(fromAlice.stderr).toContain('relay_busy');
      expect(fromAlice.stderr).toContain('hint: the relay is at a connection limit');
      expect(fromAlice.stderr).not.toContain('relay_unavailable');

      // Once her idle connections go, alice sends again through the same relay.
      for (const connection of opened.splice(0)) connection.close();
      const again = ['send', '--as-session', 'alice', '-t', 'bob', '-m', 'again'];
      await waitFor(async () => (await runCli(roots as TempRoots, again)).code === 0, 30_000, 'alice sending again');
      expect(relayPid(roots as TempRoots, BUNDLE)).toBe(relay.pid);
    },
  );
});
