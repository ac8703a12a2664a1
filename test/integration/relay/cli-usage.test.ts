// Help and usage errors through the real CLI: examples that stay whole, options listed only
// where they mean something, and an empty message being one usage error (exit 2) whichever
// way it came.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'usage';
let roots: TempRoots;

beforeAll(() => {
  roots = makeTempRoots('usage');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterAll(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

const as = (args: string[]): string[] => [...args, '--bundle', BUNDLE, '--as-session', 'alice'];

describe('help', () => {
  it('send --help shows each example whole on its own line, with its description', async () => {
    const help = await runCli(roots, ['send', '--help'], { env: { COLUMNS: '100' } });
    expect(help.code).toBe(0);
    const examples =
      help.stdout
        .split('Examples:')[1]
        ?.split('\n')
        .filter((line) => line.trim() !== '') ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const line of examples) expect(line).toMatch(/agentmux send .*\S {2,}\S/);
  });

  it('down --help does not offer --fresh or --restart; up --help does', async () => {
    const down = await runCli(roots, ['down', '--help']);
    expect(down.code).toBe(0);
    expect(down.stdout).not.toMatch(/--fresh|--restart/);
    const up = await runCli(roots, ['up', '--help']);
    expect(up.stdout).toMatch(/--fresh/);
    expect(up.stdout).toMatch(/--restart/);
  });
});

describe('usage errors', () => {
  it('say what is wrong and where help is, without the whole help, and hints never repeat the message', async () => {
    const unknown = await runCli(roots, ['send', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('agentmux: validation_invalid_arguments: Unknown argument: bogus');
    expect(unknown.stderr).toContain('hint: see `agentmux send --help`');
    expect(unknown.stderr).not.toContain('Examples:');
    const nobody = await runCli(roots, as(['send', '-m', 'hi']));
    expect(nobody.code).toBe(2);
    const [message, hint] = nobody.stderr.trim().split('\n');
    expect(message).toMatch(/validation_empty_targets: no recipient/);
    expect(hint?.replace(/^\s*hint: /, '')).not.toBe(message?.replace(/^agentmux: \w+: /, ''));
  });
});

describe('an empty message', () => {
  it(
    'is a usage error (exit 2) from -m "" as from empty stdin, and nothing is sent',
    { timeout: 120_000 },
    async () => {
      const flag = await runCli(roots, as(['send', '-t', 'bob', '-m', '']));
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(/validation_missing_message_input/);
      const stdin = await runCli(roots, as(['send', '-t', 'bob']), { input: '' });
      expect(stdin.code).toBe(2);
      expect(stdin.stderr).toMatch(/validation_missing_message_input/);
      const inbox = await runCli(roots, ['inbox', '--json', '--bundle', BUNDLE, '--as-session', 'bob']);
      expect(inbox.code, inbox.stderr).toBe(0);
      expect(JSON.parse(inbox.stdout)).toEqual([]);
    },
  );
});

describe('first run', () => {
  it('says where it wrote the starter files, once', async () => {
    const fresh = makeTempRoots('first');
    try {
      const first = await runCli(fresh, ['list', '--no-autostart']);
      expect(first.stderr).toContain(
        `agentmux: wrote starter configuration to ${fresh.configDir}: coders.toml, policies.toml, tui.toml, bundles/example.toml`,
      );
      const second = await runCli(fresh, ['list', '--no-autostart']);
      expect(second.stderr).not.toContain('wrote starter configuration');
    } finally {
      fresh.cleanup();
    }
  });
});
