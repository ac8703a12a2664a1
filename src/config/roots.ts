// Where configuration and state live: flags, then AGENTMUX_* variables, then XDG, then HOME.
import { isAbsolute, join, resolve } from 'node:path';

import { AgentmuxError } from '../core/errors.js';
import { nonEmpty } from './identity.js';

/** The root directories as given on the command line, if at all. */
export interface RootOptions {
  configDirectory?: string;
  stateDirectory?: string;
}

/** Absolute config and state roots. */
export interface Roots {
  configDir: string;
  stateDir: string;
}

interface RootRule {
  label: string;
  flag: string;
  variable: string;
  xdgVariable: string;
  homeFallback: readonly string[];
}

const CONFIG_RULE: RootRule = {
  label: 'config',
  flag: '--config-directory',
  variable: 'AGENTMUX_CONFIG_DIR',
  xdgVariable: 'XDG_CONFIG_HOME',
  homeFallback: ['.config', 'agentmux'],
};

const STATE_RULE: RootRule = {
  label: 'state',
  flag: '--state-directory',
  variable: 'AGENTMUX_STATE_DIR',
  xdgVariable: 'XDG_STATE_HOME',
  homeFallback: ['.local', 'state', 'agentmux'],
};

/** Resolves both roots, always to absolute paths; throws when neither a setting nor HOME exists. */
export function resolveRoots(options: RootOptions, env: NodeJS.ProcessEnv = process.env): Roots {
  return {
    configDir: resolveRoot(CONFIG_RULE, options.configDirectory, env),
    stateDir: resolveRoot(STATE_RULE, options.stateDirectory, env),
  };
}

function resolveRoot(rule: RootRule, flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const given = nonEmpty(flag) ?? nonEmpty(env[rule.variable]);
  if (given !== undefined) return resolve(given);
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = nonEmpty(env[rule.xdgVariable]);
  if (xdg !== undefined && isAbsolute(xdg)) return resolve(xdg, 'agentmux');
  const home = nonEmpty(env.HOME);
  if (home !== undefined) return resolve(join(home, ...rule.homeFallback));
  throw new AgentmuxError(
    'validation_invalid_arguments',
    `cannot find the ${rule.label} directory: HOME is not set and neither ${rule.flag}, ${rule.variable} nor ${rule.xdgVariable} is given`,
    {
      details: { root: rule.label },
      hint: `pass ${rule.flag} or set ${rule.variable}`,
    },
  );
}
