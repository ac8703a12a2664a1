// Event-driven readiness (issue 17): a delivery waiting for a pane is woken by the pane's own
// output (tmux control mode %output) going quiet, not by a polling tick. The relay runs in this
// process with its status poll / safety re-look set far beyond the test, scripted agents run in
// a private tmux server, and the relay's tmux runner is wrapped to count its looks at a pane.
import { afterEach, describe, expect, it } from 'vitest';
import { loadTeam } from '../../../src/config/index.js';
import { Relay } from '../../../src/relay/relay.js';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/index.js';
import type { TmuxResult, TmuxRunOptions } from '../../../src/transports/tmux/runner.js';
import type { TmuxTransport } from '../../../src/transports/tmux/tmux-transport.js';
import { AGENTMUX_BIN } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { writeScriptedTeam, type ScriptedAgentSpec, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { occurrences } from './crew-fixture.js';

const BUNDLE = 'events';
/** Far longer than any test here: a delivery that needs the safety net never completes. */
const NO_POLL_MS = 600_000;

interface Running {
  roots: TempRoots;
  team: ScriptedTeam;
  relay: Relay;
  tmux: TmuxTransport;
  panes: Map<string, string>;
  /** capture-pane commands the relay ran for `paneId` so far. */
  captures: (paneId: string) => number;
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
  const roots = makeTempRoots('evt');
  const team = writeScriptedTeam(roots, BUNDLE, agents);
  const paths = bundlePaths(roots.stateDir, BUNDLE);
  ensureRuntimeDir(paths);
  const relay = await Relay.start({
    team: loadTeam(roots.configDir, BUNDLE),
    paths,
    version: 'test',
    roots: { configDir: roots.configDir, stateDir: roots.stateDir },
    entryPoint: AGENTMUX_BIN,
    tmuxSafetyPollMs: NO_POLL_MS,
  });
  const tmux = (relay as unknown as { tmux: TmuxTransport }).tmux;
  const counts = new Map<string, number>();
  const original = tmux.runner.run.bind(tmux.runner);
  tmux.runner.run = (args: string[], options?: TmuxRunOptions): Promise<TmuxResult> => {
    if (args[0] === 'capture-pane') {
      const target = args[args.indexOf('-t') + 1] ?? '';
      counts.set(target, (counts.get(target) ?? 0) + 1);
    }
    return original(args, options);
  };
  const panes = new Map<string, string>();
  running = { roots, team, relay, tmux, panes, captures: (paneId) => counts.get(paneId) ?? 0 };
  for (const outcome of await tmux.up({ cwd: roots.root })) panes.set(outcome.id, outcome.pane_id ?? '');
  for (const agent of agents) {
    await waitFor(
      async () => (await team.tmux(['capture-pane', '-p', '-t', `=${agent.id}:`])).stdout.trimEnd().endsWith('agent>'),
      15_000,
      `${agent.id}'s prompt`,
    );
  }
  return running;
}

/** Control-mode clients attached to each session of the private server. */
async function controlClients(team: ScriptedTeam): Promise<Map<string, number>> {
  const listed = await team.tmux(['list-clients', '-F', '#{client_control_mode} #{session_name}']);
  const counts = new Map<string, number>();
  for (const line of listed.stdout.split('\n')) {
    if (line.startsWith('1 ')) counts.set(line.slice(2), (counts.get(line.slice(2)) ?? 0) + 1);
  }
  return counts;
}

const send = (relay: Relay, to: string, body: string) => relay.core.submit('user', { to: [to], body });
const reasonOf = (relay: Relay, id: string): string | null => relay.core.registry.statusOf(id).reason;

describe.sequential('event-driven readiness', () => {
  it('delivers to an agent the moment it goes quiet, with no polling tick to wait for', async () => {
    const { relay, team } = await start([{ id: 'alice', thinkMs: 400 }]);
    // The second message arrives while the agent works on the first: only the end of the
    // agent's output (and its quiet window) can release it, since no poll runs in this test.
    await send(relay, 'alice', 'first: work on this');
    await waitFor(() => team.logged('alice').length === 1, 15_000, 'the first prompt');
    await send(relay, 'alice', 'second: right after');
    await waitFor(() => team.logged('alice').length === 2, 15_000, 'the second prompt');
    const [first, second] = team.logged('alice');
    expect(occurrences(first?.text ?? '', 'first: work on this')).toBe(1);
    expect(occurrences(second?.text ?? '', 'second: right after')).toBe(1);
  }, 60_000);

  it('does not look at a silent pane that holds a draft, and delivers once its output goes quiet', async () => {
    const { relay, team, panes, captures } = await start([{ id: 'alice' }, { id: 'bob', thinkMs: 1000 }]);
    const alice = panes.get('alice') ?? '';
    // Someone left a draft in alice's composer: nothing may be typed over it.
    expect((await team.tmux(['send-keys', '-t', alice, '-l', 'my own draft'])).code).toBe(0);
    await waitFor(
      async () => (await team.tmux(['capture-pane', '-p', '-t', alice])).stdout.includes('agent> my own draft'),
      10_000,
      'the draft on screen',
    );
    await send(relay, 'alice', 'held behind the draft');
    // The scripted coder's prompt rule (`^agent>$`) does not match a composer with text in it.
    await waitFor(
      () => reasonOf(relay, 'alice')?.includes('prompt rule did not match') === true,
      15_000,
      'the relay to see the draft',
    );
    const looksBefore = captures(alice);
    // While alice's pane stays silent, bob gets a message and works for a second.
    await send(relay, 'bob', 'meanwhile for bob');
    await waitFor(
      async () => (await team.tmux(['capture-pane', '-p', '-t', '=bob:'])).stdout.includes('answer: '),
      15_000,
      "bob's answer",
    );
    // A polling delivery would have looked at alice's pane many times by now.
    expect(captures(alice)).toBe(looksBefore);
    expect(team.logged('alice')).toHaveLength(0);
    // The draft is cleared: the agent redraws (output), goes quiet, and the message goes in.
    expect((await team.tmux(['send-keys', '-t', alice, 'C-u'])).code).toBe(0);
    await waitFor(() => team.logged('alice').length === 1, 15_000, "alice's prompt");
    const text = team.logged('alice')[0]?.text ?? '';
    expect(occurrences(text, 'held behind the draft')).toBe(1);
    expect(text).not.toContain('my own draft');
  }, 60_000);

  it('ends the output watch of a stopped session, and every control client when the relay stops', async () => {
    const { relay, team, tmux } = await start([{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]);
    // One output watch per agent session (and the relay's command client on one of them).
    await waitFor(
      async () => {
        const counts = await controlClients(team);
        return ['alice', 'bob', 'carol'].every((id) => (counts.get(id) ?? 0) >= 1);
      },
      15_000,
      'an output watch on every session',
    );
    // A session the relay stops takes its watch with it; the others keep theirs.
    await tmux.down(['bob']);
    const afterDown = await controlClients(team);
    expect(afterDown.has('bob')).toBe(false);
    expect(afterDown.get('alice') ?? 0).toBeGreaterThanOrEqual(1);
    // The agents outlive the relay, so tmux keeps running: none of the relay's clients may.
    await relay.stop();
    await waitFor(async () => (await controlClients(team)).size === 0, 15_000, 'no control client left');
    expect((await team.tmux(['has-session', '-t', '=alice'])).code).toBe(0);
  }, 60_000);
});
