// `[[hosts]]` and a session's `host` in bundle files, as `agentmux check` and the loader see them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkConfig } from '../../../src/config/check.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { CODERS, POLICIES, TUI, writeFiles } from '../config/write-files.js';

let roots: TempRoots;
beforeEach(() => {
  roots = makeTempRoots('hosts-config');
});
afterEach(() => roots.cleanup());

const checkBundle = (bundle: string) => {
  writeFiles(roots.configDir, {
    'coders.toml': CODERS,
    'policies.toml': POLICIES,
    'tui.toml': TUI,
    'bundles/team.toml': bundle,
  });
  return checkConfig(roots.configDir, { env: { PATH: '/usr/bin:/bin' } })
    .filter((problem) => problem.severity === 'error')
    .map(({ key, line, message, hint }) => ({ key, line, message, hint }));
};

describe('[[hosts]] in a bundle', () => {
  it('accepts hosts and sessions pinned to them', () => {
    const problems = checkBundle(`format-version = 1
[[hosts]]
id = "laptop"
nats = "nats://127.0.0.1:4222"
[[hosts]]
id = "build"
nats = "tls://127.0.0.1:7422"
[[sessions]]
id = "alice"
directory = "/x"
host = "build"
`);
    expect(problems).toEqual([]);
  });

  it('names bad host ids, bad URLs, duplicates and unknown hosts with key, line and hint', () => {
    const problems = checkBundle(`format-version = 1
[[hosts]]
id = "Build.1"
nats = "nats://127.0.0.1:4222"
[[hosts]]
id = "hub"
nats = "http://127.0.0.1:4222"
[[hosts]]
id = "gpu"
nats = "nats://127.0.0.1"
[[hosts]]
id = "gpu"
nats = "nats://me:secret@127.0.0.1:4222"
[[sessions]]
id = "alice"
directory = "/x"
host = "nowhere"
`);
    const byKey = new Map(problems.map((problem) => [problem.key, problem]));
    expect(byKey.get('hosts[0].id')?.message).toMatch(/host id/);
    expect(byKey.get('hosts[0].id')?.line).toBe(3);
    expect(byKey.get('hosts[1].id')?.message).toMatch(/"hub" is the hub/);
    expect(byKey.get('hosts[1].nats')?.message).toMatch(/not a NATS URL/);
    expect(byKey.get('hosts[2].nats')?.hint).toMatch(/nats:\/\/HOST:PORT/);
    expect(byKey.get('hosts[3].id')?.message).toMatch(/duplicate id "gpu"/);
    expect(byKey.get('hosts[3].nats')?.message).toMatch(/credentials/);
    expect(byKey.get('sessions[0].host')).toMatchObject({ message: 'unknown host "nowhere"', line: 17 });
    expect(byKey.get('sessions[0].host')?.hint).toMatch(/Build\.1|gpu/);
  });
});
