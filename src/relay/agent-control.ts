// One AgentControl over several transports: `up`/`down` split the selected sessions by each
// member's transport, `look`/`raww` go to the transport of their target.
import type { MemberTransport } from '../config/index.js';
import type { SessionOutcome } from '../core/protocol/index.js';
import type { UpRequest } from '../transports/tmux/session-launch.js';
import type { AgentControl } from './relay-core.js';

/**
 * Routes each session to the AgentControl of its member's transport; outcomes come back in
 * roster order. Undefined when no transport can control agents.
 */
export function combineAgentControls(
  members: readonly { id: string; transport: MemberTransport }[],
  controls: Partial<Record<MemberTransport, AgentControl>>,
): AgentControl | undefined {
  const parts = (Object.entries(controls) as [MemberTransport, AgentControl | undefined][]).filter(
    (entry): entry is [MemberTransport, AgentControl] => entry[1] !== undefined,
  );
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0]?.[1];
  const transportOf = new Map(members.map((m) => [m.id, m.transport]));
  const rank = new Map(members.map((m, index) => [m.id, index]));
  const fanOut = async (
    sessions: string[] | undefined,
    run: (control: AgentControl, selected: string[] | undefined) => Promise<SessionOutcome[]>,
  ): Promise<SessionOutcome[]> => {
    const results = await Promise.all(
      parts.map(([transport, control]) => {
        const selected = sessions?.filter((id) => transportOf.get(id) === transport);
        return selected !== undefined && selected.length === 0 ? Promise.resolve([]) : run(control, selected);
      }),
    );
    return results.flat().sort((a, b) => (rank.get(a.id) ?? members.length) - (rank.get(b.id) ?? members.length));
  };
  const owner = (target: string): AgentControl | undefined => {
    const transport = transportOf.get(target);
    return transport === undefined ? undefined : controls[transport];
  };
  return {
    up: (request: UpRequest) => fanOut(request.sessions, (control, sessions) => control.up({ ...request, sessions })),
    down: (sessions) => fanOut(sessions, (control, selected) => control.down(selected)),
    look: (target, lines) => owner(target)?.look(target, lines) ?? Promise.resolve(undefined),
    raww: (target, text, keys, enter) => owner(target)?.raww(target, text, keys, enter) ?? Promise.resolve(false),
  };
}
