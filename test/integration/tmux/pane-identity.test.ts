// On Linux a process inside an agent's pane is that agent, whatever its environment says
// (issue 15.4): even with its AGENTMUX_TOKEN removed and the operator key read from disk, a
// command run in bob's pane cannot act as the operator. A real tmux pane on the bundle's
// private server runs the attempts itself; the test reads what each one printed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
let roots: TempRoots;

const out = (name: string): string => join(roots.root, `${name}.out`);

/** What a command printed with --json: its result, or its error (stderr, one line). */
function lastJson(name: string): { error?: { code?: string } } & Record<string, unknown> {
  const text = readFileSync(out(name), 'utf8').trim();
  try {
    return JSON.parse(text) as { error?: { code?: string } } & Record<string, unknown>;
  } catch {
    return JSON.parse(text.split('\n').at(-1) ?? '{}') as { error?: { code?: string } } & Record<string, unknown>;
  }
}

beforeEach(() => {
  roots = makeTempRoots('paneid');
  const q = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;
  const bin = q(AGENTMUX_BIN);
  const script = [
    `${bin} send -t alice -m from-bobs-pane --json > ${q(out('own'))} 2>&1`,
    `env -u AGENTMUX_TOKEN AGENTMUX_SESSION=user ${bin} raww alice --text x --json > ${q(out('raww'))} 2>&1`,
    `env -u AGENTMUX_TOKEN AGENTMUX_SESSION=alice ${bin} inbox --json > ${q(out('inbox'))} 2>&1`,
    `env -u AGENTMUX_TOKEN -u AGENTMUX_SESSION ${bin} relay stop --json > ${q(out('stop'))} 2>&1`,
    `touch ${q(out('done'))}`,
    'exec sleep 600',
  ].join('; ');
  writeFileSync(
    join(roots.configDir, 'coders.toml'),
    [
      'format-version = 1',
      '',
      '[[coders]]',
      'id = "attempts"',
      '[coders.tmux]',
      `initial-command = ${JSON.stringify(script)}`,
      '',
    ].join('\n'),
  );
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob', coder: 'attempts' }]);
});

afterEach(async () => {
  await runCli(roots, ['down', '--bundle', BUNDLE, '--no-autostart']);
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

describe.skipIf(process.platform !== 'linux')('a command in bob’s pane', () => {
  it('acts as bob, never as the operator or alice, even without its token', async () => {
    const up = await runCli(roots, ['up', BUNDLE, '--session', 'bob', '--json']);
    expect(up.code, up.stderr).toBe(0);
    await waitFor(() => existsSync(out('done')), 100_000, 'the pane to finish its attempts');

    expect(lastJson('own'), readFileSync(out('own'), 'utf8')).toMatchObject({
      results: [{ target: 'alice', outcome: 'queued' }],
    });
    expect(lastJson('raww').error?.code, readFileSync(out('raww'), 'utf8')).toBe('authorization_unproven_identity');
    expect(lastJson('inbox').error?.code, readFileSync(out('inbox'), 'utf8')).toBe('authorization_unproven_identity');
    expect(lastJson('stop').error?.code, readFileSync(out('stop'), 'utf8')).toBe('authorization_forbidden');

    // The operator's own shell is unaffected: it still reads alice's mail and stops the relay.
    const inbox = await runCli(roots, ['inbox', '--json', '--bundle', BUNDLE, '--as-session', 'alice']);
    expect(inbox.code, inbox.stderr).toBe(0);
    expect(JSON.parse(inbox.stdout)).toMatchObject([{ from: 'bob', body: 'from-bobs-pane' }]);
  }, 150_000);
});
