// `whoami` and `list`: who this agent is, and who else is on the team and what they are doing.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { METHODS, type SessionView } from '../../core/protocol/index.js';
import { DEFAULT_TOOL_TIMEOUT_MS, runTool, type ToolContext } from '../tool-context.js';
import { outputSchema } from '../tool-result.js';

const WhoamiOutput = outputSchema({
  bundle: z.string(),
  session: z.string(),
  role: z.string(),
  identity: z.looseObject({ source: z.string(), origin: z.string() }),
  config_dir: z.string(),
  state_dir: z.string(),
  relay: z.looseObject({ pid: z.number(), version: z.string(), protocol: z.number() }),
  policy: z.record(z.string(), z.string()).nullable(),
});

const ListOutput = outputSchema(METHODS.list.result.shape);

function stateWord(view: SessionView): string {
  if (view.state === 'idle') return 'ready';
  if (view.state === 'waiting_input') return 'needs operator';
  return view.state;
}

/** One roster line: "bob (agent, tmux) busy · 2 queued · operator attached". */
export function rosterLine(view: SessionView, me: string): string {
  const extras = [
    view.queued > 0 ? `${view.queued} queued` : undefined,
    view.attached ? 'operator attached' : undefined,
    view.reason ?? undefined,
  ].filter((part): part is string => part !== undefined);
  const you = view.id === me ? ' [you]' : '';
  const rest = extras.length > 0 ? ` · ${extras.join(' · ')}` : '';
  return `- ${view.id}${you} (${view.role}, ${view.transport}) ${stateWord(view)}${rest}`;
}

/** Registers `whoami` and `list`. */
export function registerRosterTools(mcp: McpServer, context: ToolContext): void {
  mcp.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description:
        'Your agentmux identity: bundle (team), session id, role, where the identity came from, ' +
        `and the relay you talk to. Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: z.strictObject({}),
      outputSchema: WhoamiOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (_args, extra) =>
      runTool(context, 'whoami', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        const { identity, role, configDir, stateDir, controls, link } = run.acting;
        const client = await link.connect();
        const relay = client.hello.relay;
        return {
          summary: `you are ${identity.session} in bundle ${identity.bundle} (${role}; identity from ${identity.origin}); relay pid ${relay.pid}`,
          data: {
            bundle: identity.bundle,
            session: identity.session,
            role,
            identity: { source: identity.source, origin: identity.origin },
            config_dir: configDir,
            state_dir: stateDir,
            relay: { pid: relay.pid, version: relay.version, protocol: relay.protocol },
            policy: controls ? { ...controls } : null,
          },
        };
      }),
  );

  mcp.registerTool(
    'list',
    {
      title: 'List team members',
      description:
        'The sessions of your bundle with their state (ready, busy, needs operator, offline, …), ' +
        `queue depth and unread mail. Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: z.strictObject({}),
      outputSchema: ListOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (_args, extra) =>
      runTool(context, 'list', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        const result = await run.acting.link.request(
          'list',
          {},
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: true },
        );
        const me = run.acting.identity.session;
        const lines = result.sessions.map((view) => rosterLine(view, me));
        return {
          summary: `bundle ${result.bundle}, ${result.sessions.length} sessions`,
          lines,
          data: result,
        };
      }),
  );
}
