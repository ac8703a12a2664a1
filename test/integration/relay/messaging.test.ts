// The messaging spine end to end: the real CLI and relay, a real socket and journal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('msg');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

const as = (session: string, args: string[]): string[] => [...args, '--bundle', BUNDLE, '--as-session', session];

describe('send, inbox, ack, history', () => {
  it('delivers to the inbox, marks read, and finds the message by search', async () => {
    const sent = await runCli(
      roots,
      as('alice', ['send', '-t', 'bob', '-m', 'the build is green', '--subject', 'ci', '--json']),
    );
    expect(sent.code, sent.stderr).toBe(0);
    const result = JSON.parse(sent.stdout) as {
      message_id: string;
      thread: string;
      results: { target: string; outcome: string }[];
    };
    expect(result.results).toEqual([{ target: 'bob', outcome: 'queued' }]);
    expect(result.thread).toBe(result.message_id);

    const peek = await runCli(roots, as('bob', ['inbox', '--peek', '--json']));
    const messages = JSON.parse(peek.stdout) as {
      id: string;
      from: string;
      body: string;
      subject: string;
      read_at: string | null;
    }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      id: result.message_id,
      from: 'alice',
      body: 'the build is green',
      subject: 'ci',
      read_at: null,
    });

    const ack = await runCli(roots, as('bob', ['ack', result.message_id, '--json']));
    expect(ack.code, ack.stderr).toBe(0);
    expect(JSON.parse(ack.stdout)).toMatchObject({ acked: [result.message_id], unknown: [], unread: 0 });

    const unread = await runCli(roots, as('bob', ['inbox', '--unread', '--json']));
    expect(JSON.parse(unread.stdout)).toEqual([]);

    const found = await runCli(roots, as('alice', ['history', '--search', 'build is', '--json']));
    const history = JSON.parse(found.stdout) as {
      id: string;
      deliveries: { recipient: string; state: string; read_at: string | null }[];
    }[];
    expect(history.map((m) => m.id)).toEqual([result.message_id]);
    expect(history[0]?.deliveries[0]).toMatchObject({ recipient: 'bob', state: 'delivered' });
    expect(history[0]?.deliveries[0]?.read_at).not.toBeNull();

    const none = await runCli(roots, as('alice', ['history', '--search', 'no such words', '--json']));
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('reads the message from stdin and refuses a missing one', async () => {
    const piped = await runCli(roots, as('alice', ['send', '-t', 'bob', '--json']), { input: 'line one\nline two\n' });
    expect(piped.code, piped.stderr).toBe(0);
    const inbox = await runCli(roots, as('bob', ['inbox', '--json']));
    expect((JSON.parse(inbox.stdout) as { body: string }[])[0]?.body).toBe('line one\nline two');

    const empty = await runCli(roots, as('alice', ['send', '-t', 'bob']), { input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('validation_missing_message_input');
  });

  it('rejects unknown targets and empty target lists with stable codes', async () => {
    const unknown = await runCli(roots, as('alice', ['send', '-t', 'mallory', '-m', 'hi']));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('agentmux: validation_unknown_target:');
    const none = await runCli(roots, as('alice', ['send', '-m', 'hi']));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('validation_empty_targets');
  });

  it('broadcasts to every agent except the sender', async () => {
    const sent = await runCli(roots, as('alice', ['send', '--broadcast', '-m', 'standup in 5', '--json']));
    const result = JSON.parse(sent.stdout) as { results: { target: string }[] };
    expect(result.results.map((r) => r.target)).toEqual(['bob', 'carol']);
    for (const who of ['bob', 'carol']) {
      const inbox = await runCli(roots, as(who, ['inbox', '--json']));
      expect((JSON.parse(inbox.stdout) as { body: string }[]).map((m) => m.body)).toEqual(['standup in 5']);
    }
    const own = await runCli(roots, as('alice', ['inbox', '--json']));
    expect(JSON.parse(own.stdout)).toEqual([]);
  });

  it('threads replies under the first message', async () => {
    const first = JSON.parse(
      (await runCli(roots, as('alice', ['send', '-t', 'bob', '-m', 'question?', '--json']))).stdout,
    ) as { message_id: string };
    const reply = JSON.parse(
      (
        await runCli(
          roots,
          as('bob', ['send', '-t', 'alice', '--reply-to', first.message_id, '-m', 'answer!', '--json']),
        )
      ).stdout,
    ) as { message_id: string; thread: string };
    expect(reply.thread).toBe(first.message_id);
    const again = JSON.parse(
      (
        await runCli(
          roots,
          as('alice', ['send', '-t', 'bob', '--reply-to', reply.message_id, '-m', 'thanks', '--json']),
        )
      ).stdout,
    ) as { thread: string };
    expect(again.thread).toBe(first.message_id);
    const thread = JSON.parse(
      (await runCli(roots, as('user', ['history', '--thread', reply.message_id, '--json']))).stdout,
    ) as {
      body: string;
      reply_to: string | null;
    }[];
    expect(thread.map((m) => m.body)).toEqual(['question?', 'answer!', 'thanks']);
    expect(thread[1]?.reply_to).toBe(first.message_id);

    const badParent = await runCli(roots, as('alice', ['send', '-t', 'bob', '--reply-to', 'NOPE', '-m', 'x']));
    expect(badParent.stderr).toContain('validation_unknown_message');
  });

  it('is idempotent by request id and refuses a reused id with another body', async () => {
    const args = as('alice', ['send', '-t', 'bob', '-m', 'once', '--request-id', 'req-1', '--json']);
    const a = JSON.parse((await runCli(roots, args)).stdout) as { message_id: string };
    const b = JSON.parse((await runCli(roots, args)).stdout) as { message_id: string };
    expect(b.message_id).toBe(a.message_id);
    const inbox = JSON.parse((await runCli(roots, as('bob', ['inbox', '--json']))).stdout) as unknown[];
    expect(inbox).toHaveLength(1);
    const conflict = await runCli(roots, as('alice', ['send', '-t', 'bob', '-m', 'twice', '--request-id', 'req-1']));
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('validation_request_id_conflict');
  });

  it('lists sessions with queue depth, and operators as members', async () => {
    await runCli(roots, as('alice', ['send', '-t', 'carol', '-m', 'one']));
    await runCli(roots, as('alice', ['send', '-t', 'carol', '-m', 'two']));
    const listed = JSON.parse((await runCli(roots, as('alice', ['list', '--json']))).stdout) as {
      bundle: string;
      relay: { pid: number; state: string };
      sessions: { id: string; transport: string; state: string; queued: number; role: string }[];
    };
    expect(listed.bundle).toBe(BUNDLE);
    expect(listed.relay.state).toBe('running');
    expect(listed.sessions.map((s) => [s.id, s.role])).toEqual([
      ['alice', 'agent'],
      ['bob', 'agent'],
      ['carol', 'agent'],
      ['user', 'operator'],
    ]);
    expect(listed.sessions.find((s) => s.id === 'carol')).toMatchObject({ transport: 'socket', queued: 2 });
  });
});

describe('watch', () => {
  it('receives messages live, acks them, and they count as delivered', async () => {
    const sent0 = await runCli(roots, as('alice', ['send', '-t', 'bob', '-m', 'before watch', '--json']));
    expect(sent0.code, sent0.stderr).toBe(0);
    const watcher = spawnCli(roots, as('bob', ['watch', '--json']));
    const lines: string[] = [];
    let buffer = '';
    watcher.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    try {
      await waitFor(() => lines.length >= 1, 10_000, 'backlog message');
      const sent = await runCli(
        roots,
        as('alice', ['send', '-t', 'bob', '-m', 'live one', '--wait', '--timeout-ms', '10000', '--json']),
      );
      expect(sent.code, sent.stderr).toBe(0);
      expect((JSON.parse(sent.stdout) as { results: { outcome: string }[] }).results[0]?.outcome).toBe('delivered');
      await waitFor(() => lines.length >= 2, 10_000, 'live message');
      const bodies = lines.map((l) => (JSON.parse(l) as { body: string }).body);
      expect(bodies).toEqual(['before watch', 'live one']);
    } finally {
      watcher.kill('SIGINT');
    }
    const exit = await new Promise<number | null>((resolve) => watcher.on('exit', (code) => resolve(code)));
    expect(exit).toBe(0);
  });

  it('send --wait times out with exit 1 when nobody takes delivery', async () => {
    const sent = await runCli(
      roots,
      as('alice', ['send', '-t', 'carol', '-m', 'anyone?', '--wait', '--timeout-ms', '300', '--json']),
    );
    expect(sent.code).toBe(1);
    expect(JSON.parse(sent.stdout)).toMatchObject({
      timed_out: true,
      results: [{ target: 'carol', outcome: 'queued' }],
    });
  });
});
