// The ACP worker against an in-memory agent: session open and resume, one turn at a time,
// turn timeouts (paused by permission requests), restarts with backoff, and stopping.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AcpCoder } from '../../../src/config/index.js';
import { createUlidFactory } from '../../../src/core/ids.js';
import type { SessionState } from '../../../src/core/protocol/index.js';
import { AcpWorker, type WorkerLaunch } from '../../../src/transports/acp/acp-worker.js';
import { PermissionDesk } from '../../../src/transports/acp/permission-desk.js';
import { FakeLauncher, ManualClock, settle } from './fakes.js';

const CODER: AcpCoder = {
  kind: 'acp',
  id: 'fake',
  channel: 'stdio',
  command: 'fake-agent',
  environment: [],
  turnTimeoutMs: 10_000,
  permissionTimeoutMs: 60_000,
  permissionDefault: 'reject',
};
const LAUNCH: WorkerLaunch = { argv: ['fake-agent'], env: {}, instance: 'inst-1', fresh: false };

let clock: ManualClock;
let launcher: FakeLauncher;
let desk: PermissionDesk;
let recorded: string | undefined;
let states: [SessionState, string | null][];
let readies: number;
let ended: [number | undefined, string][];
let logged: string[];
const never = new AbortController().signal;

function worker(configuredSessionId?: string): AcpWorker {
  return new AcpWorker({
    session: 'bob',
    coder: CODER,
    cwd: '/work',
    clock,
    launch: launcher.launch,
    clientVersion: '0.0.0',
    permissions: desk,
    configuredSessionId,
    sessionIds: { get: () => recorded, set: (id) => (recorded = id) },
    endProcesses: (pid, instance) => {
      ended.push([pid, instance]);
      return Promise.resolve(pid === undefined ? [] : [pid]);
    },
    log: (_level, event) => logged.push(event),
    onStatus: (state, reason) => states.push([state, reason]),
    onReady: () => (readies += 1),
  });
}

beforeEach(() => {
  clock = new ManualClock();
  launcher = new FakeLauncher();
  desk = new PermissionDesk({ clock, ids: createUlidFactory() });
  recorded = undefined;
  states = [];
  readies = 0;
  ended = [];
  logged = [];
});

afterEach(() => desk.close());

describe('AcpWorker', () => {
  it('opens a new session, records it, and resumes it with session/load next time', async () => {
    const first = worker();
    expect(await first.start(LAUNCH, 1000)).toEqual({ phase: 'ready', reason: null });
    expect(recorded).toBe('fake-1001-1');
    expect(states.map(([s]) => s)).toEqual(['starting', 'idle']);
    expect(readies).toBe(1);
    await first.stop();
    await worker().start(LAUNCH, 1000);
    expect(launcher.last.loads).toEqual(['fake-1001-1']);
    expect(recorded).toBe('fake-1001-1');
  });

  it('prefers coder-session-id, skips resuming with fresh, and falls back to a new session when load fails', async () => {
    recorded = 'old';
    await worker('configured').start(LAUNCH, 1000);
    expect(launcher.last.loads).toEqual(['configured']);
    await worker('configured').start({ ...LAUNCH, fresh: true }, 1000);
    expect(launcher.last.loads).toEqual([]);
    expect(recorded).toBe('fake-1002-1');
    launcher.script.push('load-fails');
    await worker().start(LAUNCH, 1000);
    expect(launcher.last.loads).toEqual(['fake-1002-1']);
    expect(recorded).toBe('fake-1003-1');
    expect(logged).toContain('acp.session_load_failed');
    launcher.loadSession = false;
    await worker().start(LAUNCH, 1000);
    expect(launcher.last.loads).toEqual([]);
  });

  it('runs one turn at a time and coalesces the streamed answer', async () => {
    const w = worker();
    await w.start(LAUNCH, 1000);
    const peer = launcher.last;
    let started = 0;
    const one = w.prompt('first', 'm1', never, () => (started += 1));
    const two = w.prompt('second', 'm2', never, () => (started += 1));
    await settle();
    expect(peer.prompts.map((p) => p.text)).toEqual(['first']);
    expect(states.at(-1)).toEqual(['busy', null]);
    peer.say('Hel');
    peer.say('lo');
    peer.stop('end_turn');
    expect(await one).toEqual({ kind: 'stopped', stopReason: 'end_turn', text: 'Hello' });
    await settle();
    expect(peer.prompts.map((p) => p.text)).toEqual(['second']);
    peer.stop('max_tokens');
    expect(await two).toEqual({ kind: 'stopped', stopReason: 'max_tokens', text: '' });
    expect(started).toBe(2);
    expect(w.transcript.lines(10)).toContain('Hello');
  });

  it('cancels a turn silent for turn-timeout-ms; restarts an agent that ignores the cancel', async () => {
    const w = worker();
    await w.start(LAUNCH, 1000);
    const peer = launcher.last;
    const turn = w.prompt('hang', 'm1', never);
    await settle();
    clock.advance(9000);
    peer.say('still here');
    clock.advance(9000);
    expect(peer.cancels).toEqual([]);
    clock.advance(1000);
    expect(peer.cancels).toHaveLength(1);
    peer.stop('cancelled');
    expect(await turn).toMatchObject({ kind: 'timeout', settled: true, text: 'still here' });
    expect(w.phase).toBe('ready');

    const ignored = w.prompt('hang harder', 'm2', never);
    await settle();
    clock.advance(10_000);
    clock.advance(5000);
    expect(await ignored).toMatchObject({ kind: 'timeout', settled: false });
    expect(w.phase).toBe('failed');
    expect(ended).toEqual([[peer.pid, 'inst-1']]);
    clock.advance(500);
    await settle();
    expect(launcher.peers).toHaveLength(2);
    expect(w.phase).toBe('ready');
  });

  it('pauses the turn timeout while a permission request waits for an operator', async () => {
    const w = worker();
    await w.start(LAUNCH, 1000);
    const peer = launcher.last;
    const turn = w.prompt('ask first', 'm1', never);
    await settle();
    const answer = peer.handlers.onPermission(
      {
        sessionId: 'fake-1001-1',
        toolCall: { toolCallId: 't1', title: 'Edit' },
        options: [{ optionId: 'yes', name: 'Yes', kind: 'allow_once' }],
      },
      never,
    );
    await settle();
    expect(states.at(-1)).toEqual(['waiting_input', 'permission requested']);
    const [request] = desk.list();
    expect(request).toMatchObject({ session: 'bob', title: 'Edit', message_id: 'm1' });
    clock.advance(30_000);
    expect(peer.cancels).toEqual([]);
    desk.approve(request?.id ?? '', undefined, 'user');
    expect(await answer).toEqual({ outcome: { outcome: 'selected', optionId: 'yes' } });
    expect(states.at(-1)).toEqual(['busy', null]);
    clock.advance(9999);
    expect(peer.cancels).toEqual([]);
    peer.stop('end_turn');
    expect((await turn).kind).toBe('stopped');
  });

  it('restarts a crashed agent with doubling backoff and reports the failure', async () => {
    const w = worker();
    await w.start(LAUNCH, 1000);
    const turn = w.prompt('crash', 'm1', never);
    await settle();
    launcher.script.push('exit-at-init', 'exit-at-init', 'exit-at-init');
    launcher.last.exit('exited with code 3');
    expect(await turn).toMatchObject({ kind: 'interrupted' });
    expect(states.at(-1)).toEqual(['failed', 'exited with code 3; restarting in 0.5 s']);
    expect(w.running).toBe(true);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      delays.push(clock.pending[0] ?? -1);
      clock.advance(clock.pending[0] ?? 0);
      await settle();
    }
    expect(delays).toEqual([500, 1000, 2000]);
    expect(states.at(-1)).toEqual(['failed', 'exited with code 4; restarting in 4 s']);
    // Queued work waits: a prompt now finds no agent.
    expect((await w.prompt('queued', 'm2', never)).kind).toBe('unavailable');
    clock.advance(4000);
    await settle();
    expect(w.phase).toBe('ready');
    expect(launcher.last.loads).toEqual(['fake-1001-1']);
  });

  it('does not restart an agent that never started; stop ends its processes', async () => {
    launcher.script.push('spawn-error');
    const w = worker();
    const result = await w.start(LAUNCH, 1000);
    expect(result).toEqual({ phase: 'failed', reason: 'could not start: spawn fake-agent ENOENT' });
    expect(w.running).toBe(false);
    expect(clock.pending).toEqual([]);
    await w.start(LAUNCH, 1000);
    expect(await w.stop()).toEqual([launcher.last.pid]);
    expect(launcher.last.closed).toBe(true);
    expect(states.at(-1)).toEqual(['offline', null]);
    expect(w.running).toBe(false);
  });

  it('reports an agent still starting after the wait, and a stop during start ends it', async () => {
    launcher.script.push('hang-at-init');
    const w = worker();
    const starting = w.start(LAUNCH, 1000);
    await settle();
    clock.advance(1000);
    expect(await starting).toEqual({ phase: 'starting', reason: null });
    const pids = await w.stop();
    expect(pids).toEqual([launcher.last.pid]);
    expect(w.phase).toBe('stopped');
  });
});
