// Starting ACP agents: autostart with the relay, a program that cannot start, a command that
// needs quoting, and raw prompts with `raww`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/core/protocol/index.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import { TEST_AGENT_PATH } from './acp-team.js';
import { startAcpTeam, type AcpHarness } from './harness.js';

let harness: AcpHarness | undefined;

afterEach(async () => {
  const current = harness;
  harness = undefined;
  await current?.stop();
});

describe('ACP lifecycle', () => {
  it('starts autostart agents with the relay, so the first message is answered without up', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob' }], [], { autostart: true, up: false }));
    const user = await h.client();
    const sent = await h.send(user, ['bob'], 'hello from the start', 20_000);
    expect(sent.results).toEqual([{ target: 'bob', outcome: 'delivered' }]);
    expect((await h.inbox(user)).map((m) => m.body)).toEqual(['echo: hello from the start']);
  });

  it('reports an agent program that cannot start, in up and in list', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob', command: 'agentmux-no-such-agent --acp' }], [], {
      up: false,
    }));
    const up = await h.cli(['up', '--json']);
    expect(up.code).toBe(1);
    expect(JSON.parse(up.stdout)).toMatchObject({
      sessions: [
        {
          id: 'bob',
          transport: 'acp',
          outcome: 'failed',
          reason: 'could not start: spawn agentmux-no-such-agent ENOENT',
        },
      ],
    });
    const list = await h.cli(['list', '--json']);
    const bob = (JSON.parse(list.stdout) as { sessions: SessionView[] }).sessions.find((s) => s.id === 'bob');
    expect(bob).toMatchObject({ state: 'failed', reason: 'could not start: spawn agentmux-no-such-agent ENOENT' });
    const refused = await h.cli(['up', '--json']);
    expect(JSON.parse(refused.stdout)).toMatchObject({ sessions: [{ id: 'bob', outcome: 'failed' }] });
  });

  it('runs a command with quoted arguments and spaces in paths, without a shell', async () => {
    const scripts = makeTempRoots('acp spaced');
    try {
      const spaced = join(scripts.root, 'agent with spaces.mjs');
      writeFileSync(spaced, `import ${JSON.stringify(TEST_AGENT_PATH)};\n`);
      const h = (harness = await startAcpTeam([{ id: 'bob', command: `"${process.execPath}" '${spaced}' # comment` }]));
      expect(h.started).toMatchObject([{ id: 'bob', outcome: 'created' }]);
      const user = await h.client();
      expect((await h.send(user, ['bob'], 'quoted', 20_000)).results).toEqual([
        { target: 'bob', outcome: 'delivered' },
      ]);
    } finally {
      await harness?.stop();
      harness = undefined;
      scripts.cleanup();
    }
  });

  it('up --restart replaces a running agent, which resumes its session unless --fresh', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob' }]));
    const [first] = h.agentPids();
    const restart = await h.cli(['up', '--restart', '--json']);
    expect(restart.code, restart.stderr).toBe(0);
    const outcome = (JSON.parse(restart.stdout) as { sessions: { outcome: string; pids?: number[] }[] }).sessions[0];
    expect(outcome?.outcome).toBe('restarted');
    expect(outcome?.pids).toContain(first);
    const fresh = await h.cli(['up', '--restart', '--fresh', '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    const events = h.team.events('bob');
    expect(new Set(events.map((e) => e.pid)).size).toBe(3);
    const opened = events.filter((e) => e.event === 'new' || e.event === 'load').map((e) => e.event);
    expect(opened).toEqual(['new', 'load', 'new']);
    const created = events.filter((e) => e.event === 'new').map((e) => e.sessionId);
    expect(events.find((e) => e.event === 'load')?.sessionId).toBe(created[0]);
    expect(h.agentPids()).toHaveLength(1);
  });

  it('raww text is a raw prompt (no envelope, no reply); keys other than C-c/Escape are refused', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob' }]));
    const raww = await h.cli(['raww', 'bob', '--text', '/status please']);
    expect(raww.code, raww.stderr).toBe(0);
    expect(raww.stdout.trim()).toBe('typed into bob (acp)');
    await waitFor(() => h.team.events('bob').some((e) => e.event === 'prompt'), 10_000, 'the raw prompt');
    expect(h.team.events('bob').find((e) => e.event === 'prompt')?.text).toBe('/status please');
    await waitFor(async () => (await h.cli(['look', 'bob'])).stdout.includes('echo: /status please'), 10_000, 'answer');
    const user = await h.client();
    expect(await h.inbox(user)).toEqual([]);
    const keys = await h.cli(['raww', 'bob', '--key', 'Up', '--no-enter']);
    expect(keys.code).toBe(1);
    expect(keys.stderr).toContain('ACP sessions take no keys except C-c and Escape');
  });
});
