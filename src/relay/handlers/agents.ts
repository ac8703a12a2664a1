// `up`, `down`, `look` and `raww`: starting, stopping, watching and steering agents.
import type { z } from 'zod';
import { rfc3339 } from '../../core/clock.js';
import { AgentmuxError } from '../../core/errors.js';
import { MAX_RAWW_BYTES, type LookResult, type RawwResult, type UpResult } from '../../core/protocol/index.js';
import type {
  DownParamsSchema,
  LookParamsSchema,
  RawwParamsSchema,
  UpParamsSchema,
} from '../../core/protocol/methods.js';
import { authorize, type Principal } from '../policy.js';
import type { AgentControl, RelayCore } from '../relay-core.js';

/** What `up` and `down` use. */
export type LifecycleDeps = Pick<RelayCore, 'registry' | 'agents' | 'log'>;
/** What `look` uses. */
export type LookDeps = Pick<RelayCore, 'registry' | 'agents' | 'clock'>;
/** What `raww` uses. */
export type RawwDeps = Pick<RelayCore, 'registry' | 'agents' | 'log'>;

function selected(
  core: Pick<RelayCore, 'registry'>,
  principal: Principal,
  sessions: string[] | undefined,
): string[] | undefined {
  for (const id of sessions ?? []) {
    if (!core.registry.member(id)) {
      throw new AgentmuxError(
        'validation_unknown_session',
        `session ${id} is not a member of bundle ${core.registry.bundle}`,
        {
          details: { session: id },
        },
      );
    }
  }
  const targets = sessions ?? core.registry.agents().map((m) => m.id);
  for (const id of targets) authorize(principal, 'lifecycle', id);
  return sessions;
}

// One lifecycle change at a time per relay: two concurrent `up` calls would both see a session
// missing and both create it (the loser failing with tmux's "duplicate session"); in turn, the
// second sees the first one's session and reports it kept. Keyed by the relay's agent control.
const lifecycleQueues = new WeakMap<AgentControl, Promise<unknown>>();

function oneAtATime<T>(agents: AgentControl, run: () => Promise<T>): Promise<T> {
  const result = (lifecycleQueues.get(agents) ?? Promise.resolve()).then(run);
  lifecycleQueues.set(
    agents,
    result.catch(() => undefined),
  );
  return result;
}

/** `up`: starts the bundle's agents (idempotent). */
export async function handleUp(
  core: LifecycleDeps,
  principal: Principal,
  params: z.infer<typeof UpParamsSchema>,
): Promise<UpResult> {
  const sessions = selected(core, principal, params.sessions);
  const agents = core.agents;
  const outcomes = agents ? await oneAtATime(agents, () => agents.up({ ...params, sessions })) : [];
  const covered = new Set(outcomes.map((o) => o.id));
  for (const member of core.registry.agents()) {
    if (covered.has(member.id) || (sessions && !sessions.includes(member.id))) continue;
    outcomes.push({
      id: member.id,
      transport: member.transport,
      outcome: 'skipped',
      reason: `${member.transport} sessions are not started by up`,
    });
  }
  core.log.info('relay.up', {
    sessions: outcomes.map((o) => `${o.id}:${o.outcome}${o.reason ? ` (${o.reason})` : ''}`),
  });
  return { bundle: core.registry.bundle, sessions: outcomes };
}

/** `down`: stops the bundle's agents and ends their processes. */
export async function handleDown(
  core: LifecycleDeps,
  principal: Principal,
  params: z.infer<typeof DownParamsSchema>,
): Promise<UpResult> {
  const sessions = selected(core, principal, params.sessions);
  const agents = core.agents;
  const outcomes = agents ? await oneAtATime(agents, () => agents.down(sessions)) : [];
  core.log.info('relay.down', { sessions: outcomes.map((o) => `${o.id}:${o.outcome}`) });
  return { bundle: core.registry.bundle, sessions: outcomes };
}

function screenTarget(core: Pick<RelayCore, 'registry'>, target: string): 'tmux' | 'acp' {
  const member = core.registry.member(target);
  if (!member) {
    throw new AgentmuxError('validation_unknown_target', `unknown target session: ${target}`, {
      details: { unknown_targets: [target] },
    });
  }
  if (member.transport === 'socket') {
    throw new AgentmuxError(
      'validation_invalid_params',
      `${target} is a ${member.transport} session without a screen`,
      {
        details: { target, transport: member.transport, supported_transports: ['tmux', 'acp'] },
      },
    );
  }
  return member.transport;
}

/** `look`: the agent's screen. */
export async function handleLook(
  core: LookDeps,
  principal: Principal,
  params: z.infer<typeof LookParamsSchema>,
): Promise<LookResult> {
  const transport = screenTarget(core, params.target);
  authorize(principal, 'look', params.target);
  const lines = await core.agents?.look(params.target, params.lines ?? 120);
  if (lines === undefined) {
    throw new AgentmuxError(
      'runtime_target_unavailable',
      `${params.target} is not running; start it with \`agentmux up\``,
    );
  }
  return {
    target: params.target,
    transport,
    captured_at: rfc3339(core.clock.now()),
    state: core.registry.statusOf(params.target).state,
    lines,
  };
}

/** `raww`: types raw text/keys into the agent's pane, bypassing readiness. */
export async function handleRaww(
  core: RawwDeps,
  principal: Principal,
  params: z.infer<typeof RawwParamsSchema>,
): Promise<RawwResult> {
  const transport = screenTarget(core, params.target);
  authorize(principal, 'raww', params.target);
  const bytes = Buffer.byteLength(params.text ?? '', 'utf8');
  if (bytes > MAX_RAWW_BYTES) {
    throw new AgentmuxError(
      'validation_invalid_params',
      `raww text is ${bytes} bytes; the limit is ${MAX_RAWW_BYTES}`,
      {
        details: { field: 'text', bytes, max_bytes: MAX_RAWW_BYTES },
      },
    );
  }
  const ok = await core.agents?.raww(params.target, params.text, params.keys ?? [], params.enter ?? true);
  if (!ok)
    throw new AgentmuxError(
      'runtime_target_unavailable',
      `${params.target} is not running; start it with \`agentmux up\``,
    );
  core.log.info('relay.raww', { target: params.target, by: principal.session, bytes });
  return { target: params.target, transport, status: 'accepted' };
}
