// The team primer: what an agent is told at start about its teammates and how to reach them
// (agents ignore mail they were never told how to read). The MCP server hands it to the CLI as
// its `instructions`; `agentmux primer` prints it for an initial prompt or a system-prompt flag.
import type { Team } from './types.js';

/** Longest primer text a bundle or coder may add, in characters (it goes into every context). */
export const MAX_PRIMER_EXTRA_CHARS = 4000;

/** The primer for `session` of `team`; the default text, then the bundle's and the coder's additions. */
export function teamPrimer(team: Team, session: string): string {
  const me = team.members.find((member) => member.id === session);
  const others = team.members.filter((member) => member.id !== session);
  const roster = others.map((member) => {
    const what = member.description ?? member.name ?? (member.coder ? `${member.coder.id} agent` : member.role);
    return `- ${member.id} (${member.role === 'operator' ? 'human operator' : what})`;
  });
  const lines = [
    `You are "${session}" in the agentmux team "${team.bundle.id}".` +
      (me?.description ? ` Your role: ${me.description}.` : ''),
    'Teammates:',
    ...(roster.length > 0 ? roster : ['- (none yet)']),
    'Messages from teammates are typed into your terminal between `--agentmux-<id>` lines, with the sender and a reply command.',
    'To message, use the agentmux MCP tools if you have them (`send`, `ask`, `inbox`, `list`), or your shell:',
    '- reply: "$AGENTMUX_COMMAND" send --reply-to <id> --message "..."',
    '- write: "$AGENTMUX_COMMAND" send --target <session> --message "..."',
    '- ask and wait for the answer: "$AGENTMUX_COMMAND" ask --target <session> --message "..."',
    'Answer every message addressed to you with a reply, and keep messages short and self-contained.',
  ];
  const extras = [team.bundle.primer, me?.coder?.primer]
    .filter((text): text is string => typeof text === 'string' && text.trim().length > 0)
    .map((text) => text.trim().slice(0, MAX_PRIMER_EXTRA_CHARS));
  return [...lines, ...extras].join('\n');
}
