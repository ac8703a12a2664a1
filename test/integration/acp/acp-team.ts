// A bundle of ACP agents for integration tests: our scripted test agent (SDK 2.4) or the
// example agent shipped in @agentclientprotocol/sdk 1.9.0, each with its own coder so each
// can have its own timeouts, log and crash switch.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quote } from 'shell-quote';
import { writeBundle } from '../../helpers/cli.js';
import type { TempRoots } from '../../helpers/temp-roots.js';

/** Our scripted agent (behaviour chosen by markers in the prompt). */
export const TEST_AGENT_PATH = resolve(import.meta.dirname, '../../fixtures/acp-test-agent.mjs');
/** The example agent of @agentclientprotocol/sdk 1.9.0 (1 s pauses, asks for permission). */
export const EXAMPLE_AGENT_PATH = resolve(
  import.meta.dirname,
  '../../../node_modules/acp-sdk-example/dist/examples/agent.js',
);

export interface AcpAgentSpec {
  id: string;
  /** Default: our test agent. */
  program?: string;
  /** The whole `[coders.acp] command` (overrides `program`). */
  command?: string;
  turnTimeoutMs?: number;
  permissionTimeoutMs?: number;
  permissionDefault?: 'reject' | 'allow';
  coderSessionId?: string;
}

/** One line of the test agent's ACP_TEST_LOG. */
export interface AgentEvent {
  pid: number;
  event: string;
  sessionId?: string;
  text?: string;
  got?: string;
  cwd?: string;
  session?: string | null;
}

export interface AcpTeam {
  /** Requests the test agent `id` received, oldest first. */
  events(id: string): AgentEvent[];
  /** While this file exists, agent `id` exits at start. */
  crashFile(id: string): string;
}

const toml = (value: string): string => JSON.stringify(value);

/** Writes coders.toml, bundles/<bundle>.toml (ACP agents plus `plain` sessions) and tui.toml (operator `user`). */
export function writeAcpTeam(
  roots: TempRoots,
  bundle: string,
  agents: AcpAgentSpec[],
  plain: string[] = [],
  options: { autostart?: boolean } = {},
): AcpTeam {
  const logOf = (id: string): string => join(roots.root, `${id}.acp-log.jsonl`);
  const crashFile = (id: string): string => join(roots.root, `${id}.crash`);
  const lines = ['format-version = 1', ''];
  for (const agent of agents) {
    const env = { ACP_TEST_LOG: logOf(agent.id), ACP_TEST_CRASH_FILE: crashFile(agent.id) };
    lines.push(
      '[[coders]]',
      `id = ${toml(`acp-${agent.id}`)}`,
      '[coders.acp]',
      `command = ${toml(agent.command ?? quote([process.execPath, agent.program ?? TEST_AGENT_PATH]))}`,
      `environment = [${Object.entries(env)
        .map(([name, value]) => `{ name = ${toml(name)}, value = ${toml(value)} }`)
        .join(', ')}]`,
      ...(agent.turnTimeoutMs === undefined ? [] : [`turn-timeout-ms = ${agent.turnTimeoutMs}`]),
      ...(agent.permissionTimeoutMs === undefined ? [] : [`permission-timeout-ms = ${agent.permissionTimeoutMs}`]),
      ...(agent.permissionDefault === undefined ? [] : [`permission-default = ${toml(agent.permissionDefault)}`]),
      '',
    );
  }
  writeFileSync(join(roots.configDir, 'coders.toml'), lines.join('\n'));
  writeBundle(roots, bundle, [
    ...agents.map((agent) => ({ id: agent.id, coder: `acp-${agent.id}` })),
    ...plain.map((id) => ({ id })),
  ]);
  const withSessionIds = agents.filter((agent) => agent.coderSessionId !== undefined);
  const file = join(roots.configDir, 'bundles', `${bundle}.toml`);
  if (options.autostart) writeFileSync(file, `autostart = true\n${readFileSync(file, 'utf8')}`);
  if (withSessionIds.length > 0) {
    let text = readFileSync(file, 'utf8');
    for (const agent of withSessionIds) {
      text = text.replace(
        `coder = "acp-${agent.id}"`,
        `coder = "acp-${agent.id}"\ncoder-session-id = ${toml(agent.coderSessionId ?? '')}`,
      );
    }
    writeFileSync(file, text);
  }
  return {
    events(id) {
      try {
        return readFileSync(logOf(id), 'utf8')
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => JSON.parse(line) as AgentEvent);
      } catch {
        return [];
      }
    },
    crashFile,
  };
}
