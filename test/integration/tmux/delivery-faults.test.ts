// tmux faults in the middle of a delivery, through the real relay (router, journal, tmux
// transport) in this process and scripted agents on a private tmux server. The faults are real
// tmux events injected at a chosen command: the relay's runner is wrapped so that one command
// meets the fault exactly when it is in flight.
import { afterEach, describe, expect, it } from 'vitest';
import { loadTeam } from '../../../src/config/index.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import type { Message } from '../../../src/core/protocol/index.js';
import { Relay } from '../../../src/relay/relay.js';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/index.js';
import type { TmuxResult, TmuxRunOptions } from '../../../src/transports/tmux/runner.js';
import type { TmuxTransport } from '../../../src/transports/tmux/tmux-transport.js';
import { AGENTMUX_BIN } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { writeScriptedTeam, type ScriptedAgentSpec, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { occurrences } from './crew-fixture.js';

const BUNDLE = 'faults';

interface Running {
  roots: TempRoots;
  team: ScriptedTeam;
  relay: Relay;
  tmux: TmuxTransport;
  panes: Map<string, string>;
  /** Runs `fault` once, in place of the first command `matches` accepts (after this call). */
  injectOnce: (
    matches: (args: string[]) => boolean,
    fault: (run: () => Promise<TmuxResult>) => Promise<TmuxResult>,
  ) => void;
  send: (to: string, body: string) => Promise<Message>;
  final: (message: Message, recipient: string) => Promise<{ state: string; reason: string | null }>;
}

let running: Running | undefined;

afterEach(async () => {
  const current = running;
  running = undefined;
  if (!current) return;
  await current.tmux.down(undefined).catch(() => undefined);
  await current.relay.stop();
  await current.team.tmux(['kill-server']);
  current.roots.cleanup();
});

async function start(agents: ScriptedAgentSpec[]): Promise<Running> {
  const roots = makeTempRoots('flt');
  const team = writeScriptedTeam(roots, BUNDLE, agents);
  const paths = bundlePaths(roots.stateDir, BUNDLE);
  ensureRuntimeDir(paths);
  const relay = await Relay.start({
    team: loadTeam(roots.configDir, BUNDLE),
    paths,
    version: 'test',
    roots: { configDir: roots.configDir, stateDir: roots.stateDir },
    entryPoint: AGENTMUX_BIN,
  });
  const tmux = (relay as unknown as { tmux: TmuxTransport }).tmux;
  const runner = tmux.runner;
  const original = runner.run.bind(runner);
  const faults: {
    matches: (args: string[]) => boolean;
    fault: (run: () => Promise<TmuxResult>) => Promise<TmuxResult>;
  }[] = [];
  runner.run = (args: string[], options?: TmuxRunOptions): Promise<TmuxResult> => {
    const index = faults.findIndex((f) => f.matches(args));
    const run = (): Promise<TmuxResult> => original(args, options);
    if (index === -1) return run();
    const [{ fault }] = faults.splice(index, 1) as [(typeof faults)[number]];
    return fault(run);
  };
  const panes = new Map<string, string>();
  const current: Running = {
    roots,
    team,
    relay,
    tmux,
    panes,
    injectOnce: (matches, fault) => faults.push({ matches, fault }),
    send: async (to, body) => {
      const result = await relay.core.submit('user', { to: [to], body });
      const message = relay.core.journal.getMessage(result.message_id);
      if (!message) throw new Error(`message ${result.message_id} was not journaled`);
      return message;
    },
    final: async (message, recipient) => {
      await relay.core.router.waitForFinal(message.seq, 30_000);
      return relay.core.router.stateOf(message.seq, recipient);
    },
  };
  running = current;
  for (const outcome of await tmux.up({ cwd: roots.root })) panes.set(outcome.id, outcome.pane_id ?? '');
  for (const agent of agents) {
    await waitFor(
      async () => (await team.tmux(['capture-pane', '-p', '-t', `=${agent.id}:`])).stdout.trimEnd().endsWith('agent>'),
      15_000,
      `${agent.id}'s prompt`,
    );
  }
  return current;
}

/**
 * The session the relay's command control client is attached to (the one whose end closes it).
 * Every agent session also has an output-watch control client (PaneActivity), so it is the
 * session with one control client more than the others.
 */
async function controlSession(team: ScriptedTeam): Promise<string> {
  let session = '';
  await waitFor(
    async () => {
      const clients = await team.tmux(['list-clients', '-F', '#{client_control_mode} #{session_name}']);
      const counts = new Map<string, number>();
      for (const line of clients.stdout.split('\n')) {
        if (line.startsWith('1 ')) counts.set(line.slice(2), (counts.get(line.slice(2)) ?? 0) + 1);
      }
      const most = Math.max(0, ...counts.values());
      const top = [...counts].filter(([, n]) => n === most);
      session = top.length === 1 && top[0] !== undefined && counts.size === team.agents.length ? top[0][0] : '';
      return session !== '';
    },
    10_000,
    'the relay control client',
  );
  return session;
}

describe.sequential('tmux faults mid-delivery', () => {
  it('never pastes a message twice when the paste command fails after it ran: recovery submits it', async () => {
    const { team, panes, injectOnce, send, final } = await start([{ id: 'bob', thinkMs: 200 }]);
    const pane = panes.get('bob') ?? '';
    // The paste reaches the pane, but its answer is lost, as with a control client that ends
    // with the command in flight ("it may have run").
    injectOnce(
      (args) => args[0] === 'paste-buffer' && args.includes(pane),
      async (run) => {
        const result = await run();
        expect(result.code).toBe(0);
        throw new AgentmuxError('runtime_tmux_failed', 'tmux paste-buffer was not answered: control client closed');
      },
    );
    const message = await send('bob', 'pasted exactly once');
    const after = await send('bob', 'and the next one');
    expect(await final(message, 'bob')).toEqual({ state: 'delivered', reason: null });
    expect(await final(after, 'bob')).toEqual({ state: 'delivered', reason: null });
    const prompts = team.logged('bob').map((entry) => entry.text);
    expect(prompts).toHaveLength(2);
    expect(occurrences(prompts[0] ?? '', 'pasted exactly once')).toBe(1);
    expect(occurrences(prompts.join('\n'), `--agentmux-${message.id}.`)).toBe(2); // its two fences
    expect(prompts[1]).toContain('and the next one');
  }, 60_000);

  it('recovers a paste the agent folded into [Pasted Text: N lines]: the hidden text is submitted, not failed', async () => {
    // Like Gemini CLI: a paste of more than 3 lines shows only as a placeholder, so our fence
    // is nowhere on the screen while the text sits in the composer.
    const { team, panes, injectOnce, send, final } = await start([
      { id: 'gem', thinkMs: 200, env: { AGENT_COLLAPSE_PASTE: '3' } },
    ]);
    const pane = panes.get('gem') ?? '';
    injectOnce(
      (args) => args[0] === 'paste-buffer' && args.includes(pane),
      async (run) => {
        const result = await run();
        expect(result.code).toBe(0);
        throw new AgentmuxError('runtime_tmux_failed', 'tmux paste-buffer was not answered: control client closed');
      },
    );
    const message = await send('gem', 'folded on the way in');
    const after = await send('gem', 'and the one behind it');
    expect(await final(message, 'gem')).toEqual({ state: 'delivered', reason: null });
    expect(await final(after, 'gem')).toEqual({ state: 'delivered', reason: null });
    const prompts = team.logged('gem').map((entry) => entry.text);
    expect(prompts).toHaveLength(2);
    expect(occurrences(prompts[0] ?? '', 'folded on the way in')).toBe(1);
    expect(prompts[1]).toContain('and the one behind it');
  }, 60_000);

  it('recovers each copy of a message to two agents by its own fence when both pastes lose their answer', async () => {
    const { team, panes, injectOnce, relay, final } = await start([
      { id: 'bob', thinkMs: 200 },
      { id: 'carol', thinkMs: 200 },
    ]);
    for (const agent of ['bob', 'carol']) {
      const pane = panes.get(agent) ?? '';
      injectOnce(
        (args) => args[0] === 'paste-buffer' && args.includes(pane),
        async (run) => {
          const result = await run();
          expect(result.code).toBe(0);
          throw new AgentmuxError('runtime_tmux_failed', 'tmux paste-buffer was not answered: control client closed');
        },
      );
    }
    const sent = await relay.core.submit('user', { to: ['bob', 'carol'], body: 'one message, two panes' });
    const message = relay.core.journal.getMessage(sent.message_id);
    if (!message) throw new Error('not journaled');
    for (const agent of ['bob', 'carol']) {
      expect(await final(message, agent)).toEqual({ state: 'delivered', reason: null });
      const prompts = team.logged(agent).map((entry) => entry.text);
      expect(prompts).toHaveLength(1);
      expect(occurrences(prompts[0] ?? '', 'one message, two panes')).toBe(1);
    }
  }, 60_000);

  it("keeps other agents' queues when the control client's session is killed mid-delivery", async () => {
    const { team, panes, injectOnce, send, final } = await start([
      { id: 'alice', thinkMs: 200 },
      { id: 'bob', thinkMs: 600 },
    ]);
    const control = await controlSession(team);
    const other = control === 'alice' ? 'bob' : 'alice';
    const pane = panes.get(other) ?? '';
    // While the delivery to `other` looks at its pane, the control client is held busy and its
    // session killed: the capture in flight is never answered (tmux detaches the client).
    injectOnce(
      (args) => args[0] === 'capture-pane' && args.includes(pane),
      async (run) => {
        void running?.tmux.runner.run(['run-shell', 'sleep 1']).catch(() => undefined);
        const pending = run();
        pending.catch(() => undefined); // rejected while we wait for the kill; the caller gets it
        expect((await team.tmux(['kill-session', '-t', `=${control}`])).code).toBe(0);
        return pending;
      },
    );
    const messages = [await send(other, 'first'), await send(other, 'second'), await send(other, 'third')];
    for (const message of messages) expect(await final(message, other)).toEqual({ state: 'delivered', reason: null });
    const prompts = team.logged(other).map((entry) => entry.text);
    expect(prompts).toHaveLength(3);
    ['first', 'second', 'third'].forEach((body, index) => expect(prompts[index]).toContain(body));
  }, 60_000);
});
