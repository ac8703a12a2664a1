// The environment of an ACP agent process, built like a tmux pane's (DESIGN Settled details
// 20): the relay's environment, then the environment of the `up` that started it, then the
// coder's `environment`, then the AGENTMUX_* identity, so `agentmux send` run by the agent's
// tools knows who it is and which relay to reach.
import type { AcpCoder } from '../../config/index.js';

/** What identifies the worker to the agentmux commands its tools may run. */
export interface WorkerIdentity {
  bundle: string;
  session: string;
  roots: { configDir: string; stateDir: string };
  entryPoint: string;
  /** AGENTMUX_INSTANCE: finds every process of this worker when it is stopped. */
  instance: string;
  /** AGENTMUX_TOKEN: the credential that proves this session to the relay. */
  credential?: string;
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function inherit(target: Record<string, string>, source: Readonly<Record<string, string | undefined>>): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || key.startsWith('TMUX') || key.startsWith('AGENTMUX_') || !VALID_NAME.test(key)) continue;
    target[key] = value;
  }
}

/** The agent's environment, later sources winning; identity variables are always ours. */
export function workerEnvironment(input: {
  relayEnv: Readonly<Record<string, string | undefined>>;
  requestEnv: Readonly<Record<string, string>> | undefined;
  coder: AcpCoder;
  identity: WorkerIdentity;
}): Record<string, string> {
  const env: Record<string, string> = {};
  inherit(env, input.relayEnv);
  if (input.requestEnv) inherit(env, input.requestEnv);
  for (const { name, value } of input.coder.environment) env[name] = value;
  env.AGENTMUX_COMMAND = input.identity.entryPoint;
  env.AGENTMUX_BUNDLE = input.identity.bundle;
  env.AGENTMUX_SESSION = input.identity.session;
  env.AGENTMUX_STATE_DIR = input.identity.roots.stateDir;
  env.AGENTMUX_CONFIG_DIR = input.identity.roots.configDir;
  env.AGENTMUX_INSTANCE = input.identity.instance;
  if (input.identity.credential !== undefined) env.AGENTMUX_TOKEN = input.identity.credential;
  return env;
}
