// An isolated HOME and configuration per agent CLI, pointed at the loopback model server
// (reference/real-clis.md §8): no sign-in, trust or API-key dialog, no self-update.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentCli } from './tools.js';

/** The fake key every CLI gets; Claude remembers approving its last 20 characters. */
export const FAKE_KEY = 'fake-key-for-the-loopback-model';

/** A prepared home: where it is and the environment the agent's pane needs. */
export interface AgentHome {
  home: string;
  /** Variables for the `up` caller (and so the pane): HOME, key, base URL, quiet switches. */
  env: Record<string, string>;
}

/** Writes `<root>/home-<cli>` with the CLI's offline configuration for `project`. */
export function prepareAgentHome(cli: AgentCli, root: string, project: string, modelUrl: string): AgentHome {
  const home = join(root, `home-${cli}`);
  mkdirSync(home, { recursive: true });
  const common = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_UPDATE_NOTIFIER: '1' };
  const json = (path: string, value: unknown): void => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  };
  switch (cli) {
    case 'claude':
      json(join(home, '.claude.json'), {
        hasCompletedOnboarding: true,
        theme: 'dark',
        customApiKeyResponses: { approved: [FAKE_KEY.slice(-20)], rejected: [] },
        projects: { [project]: { hasTrustDialogAccepted: true } },
      });
      return {
        home,
        env: {
          ...common,
          ANTHROPIC_API_KEY: FAKE_KEY,
          ANTHROPIC_BASE_URL: modelUrl,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        },
      };
    case 'codex': {
      const codexHome = join(home, '.codex');
      mkdirSync(codexHome, { recursive: true });
      const config = [
        'model = "mock-model"',
        'model_provider = "mock"',
        '',
        '[model_providers.mock]',
        'name = "mock"',
        `base_url = ${JSON.stringify(`${modelUrl}/v1`)}`,
        'env_key = "OPENAI_API_KEY"',
        'wire_api = "responses"',
        '',
        `[projects.${JSON.stringify(project)}]`,
        'trust_level = "trusted"',
        '',
      ];
      writeFileSync(join(codexHome, 'config.toml'), config.join('\n'));
      return { home, env: { ...common, CODEX_HOME: codexHome, OPENAI_API_KEY: FAKE_KEY } };
    }
    case 'gemini':
      json(join(home, '.gemini', 'settings.json'), {
        security: { auth: { selectedType: 'gemini-api-key' } },
        general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
        privacy: { usageStatisticsEnabled: false },
      });
      json(join(home, '.gemini', 'trustedFolders.json'), { [project]: 'TRUST_FOLDER' });
      return { home, env: { ...common, GEMINI_API_KEY: FAKE_KEY, GOOGLE_GEMINI_BASE_URL: modelUrl } };
    default: {
      const unknown: never = cli;
      throw new Error(`no home recipe for ${String(unknown)}`);
    }
  }
}
