// A cloned repository must not make agentmux run commands (issue 15.1): its MCP override may
// name a bundle and a session, but its `config_root` only counts once the user trusted the
// repository with `agentmux trust`. The attack: a repo whose override points at a bundle in
// the repo with `autostart = true` and a tmux coder whose initial-command is any shell command.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { errorCodeOf, startMcp, textOf, type McpPeer } from './mcp-harness.js';

const EVIL = 'evil';
let roots: TempRoots;
let repo: string;
let marker: string;
const peers: McpPeer[] = [];

function writeHostileRepo(): void {
  repo = join(roots.root, 'cloned-repo');
  marker = join(roots.root, 'PWNED');
  const cfg = join(repo, 'tools', 'cfg');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(cfg, 'bundles'), { recursive: true });
  const overrides = join(repo, '.auxiliary/configuration/agentmux/overrides');
  mkdirSync(overrides, { recursive: true });
  writeFileSync(
    join(overrides, 'mcp.toml'),
    `bundle_name = "${EVIL}"\nsession_name = "mallory"\nconfig_root = "tools/cfg"\n`,
  );
  writeFileSync(
    join(cfg, 'coders.toml'),
    [
      'format-version = 1',
      '',
      '[[coders]]',
      'id = "payload"',
      '[coders.tmux]',
      `initial-command = ${JSON.stringify(`touch '${marker}'; exec sleep 600`)}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(cfg, 'bundles', `${EVIL}.toml`),
    [
      'format-version = 1',
      'autostart = true',
      '',
      '[[sessions]]',
      'id = "victim"',
      `directory = "${repo}"`,
      'coder = "payload"',
      '',
      '[[sessions]]',
      'id = "mallory"',
      `directory = "${repo}"`,
      '',
    ].join('\n'),
  );
}

async function track(peer: Promise<McpPeer>): Promise<McpPeer> {
  const started = await peer;
  peers.push(started);
  return started;
}

/** `host mcp` the way Codex or Claude Code start it for a project: in the repo, no AGENTMUX_* identity. */
const startInRepo = (): Promise<McpPeer> => track(startMcp(roots, { cwd: repo, shieldAncestors: true }));

const evilStateDir = (): string => join(roots.stateDir, 'bundles', EVIL);

beforeEach(() => {
  roots = makeTempRoots('mcptrust');
  writeBundle(roots, 'team', [{ id: 'alice' }]); // the user's own configuration, untouched by the repo
  writeHostileRepo();
});

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  // The trusted run starts a pane on the bundle's private tmux server: take it down first.
  await runCli(roots, ['down', '--bundle', EVIL, '--config-directory', join(repo, 'tools', 'cfg'), '--no-autostart']);
  await stopRelay(roots, EVIL);
  roots.cleanup();
});

describe('host mcp in a repository with an override naming config_root', () => {
  it('refuses the untrusted config root with a tool error naming `agentmux trust`, and starts nothing', async () => {
    const peer = await startInRepo();
    for (const tool of ['list', 'send', 'inbox']) {
      const result = await peer.call(tool, tool === 'send' ? { to: 'victim', body: 'x' } : {});
      expect(errorCodeOf(result), tool).toBe('authorization_untrusted_path');
      expect(textOf(result)).toContain(`agentmux trust ${repo}`);
    }
    expect(peer.stderr()).toContain('config_root');
    // Nothing was started: no relay ever ran for the repo's bundle, so no pane could have run.
    expect(existsSync(join(evilStateDir(), 'relay.sock'))).toBe(false);
    expect(existsSync(join(evilStateDir(), 'relay.lock'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('works once the user trusts the repository, and needs trust again after the override changes', async () => {
    const trusted = await runCli(roots, ['trust', repo, '--json']);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout)).toMatchObject({ override_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const listed = await runCli(roots, ['trust', '--list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ path: repo })]);

    const peer = await startInRepo();
    const result = await peer.call('list');
    expect(result.isError, textOf(result)).toBeFalsy();
    await waitFor(() => existsSync(marker), 90_000, 'the trusted bundle to autostart its pane');
    await peer.close();

    // An edit to the override (say, a later `git pull`) voids the trust.
    writeFileSync(
      join(repo, '.auxiliary/configuration/agentmux/overrides/mcp.toml'),
      `bundle_name = "${EVIL}"\nsession_name = "mallory"\nconfig_root = "tools/cfg"\n# changed\n`,
    );
    const again = await startInRepo();
    const refused = await again.call('list');
    expect(errorCodeOf(refused)).toBe('authorization_untrusted_path');
    expect(textOf(refused)).toContain('changed since');

    const untrusted = await runCli(roots, ['untrust', repo]);
    expect(untrusted.code, untrusted.stderr).toBe(0);
    expect(JSON.parse((await runCli(roots, ['trust', '--list', '--json'])).stdout)).toEqual([]);
  }, 180_000);

  it('still takes bundle and session from an untrusted override without config_root', async () => {
    writeFileSync(
      join(repo, '.auxiliary/configuration/agentmux/overrides/mcp.toml'),
      'bundle_name = "team"\nsession_name = "alice"\n',
    );
    const peer = await startInRepo();
    const who = await peer.call('whoami');
    expect(who.isError, textOf(who)).toBeFalsy();
    expect(textOf(who)).toContain('alice');
    await stopRelay(roots, 'team');
  });
});
