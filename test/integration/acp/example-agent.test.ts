// The example agent shipped in @agentclientprotocol/sdk 1.9.0 (legacy API, one-second pauses,
// a permission request in every turn) as a team member behind our SDK 2.4 client: its
// streamed answer reaches the sender, and operators approve or deny from the CLI.
import { afterEach, describe, expect, it } from 'vitest';
import type { PermissionListResult, PermissionRequest } from '../../../src/core/protocol/index.js';
import { waitFor } from '../../helpers/client.js';
import { EXAMPLE_AGENT_PATH } from './acp-team.js';
import { startAcpTeam, type AcpHarness } from './harness.js';

let harness: AcpHarness | undefined;

afterEach(async () => {
  const current = harness;
  harness = undefined;
  await current?.stop();
});

async function nextRequest(h: AcpHarness): Promise<PermissionRequest> {
  let found: PermissionRequest | undefined;
  await waitFor(
    async () => {
      const listed = await h.cli(['permissions', '--json']);
      found = (JSON.parse(listed.stdout) as PermissionListResult).permissions[0];
      return found !== undefined;
    },
    30_000,
    'the example agent to ask for permission',
  );
  return found as PermissionRequest;
}

describe('the ACP SDK 1.9.0 example agent', () => {
  it('answers the sender, once approved and once denied from the CLI', async () => {
    const h = (harness = await startAcpTeam([{ id: 'example', program: EXAMPLE_AGENT_PATH }]));
    expect(h.started).toMatchObject([{ id: 'example', transport: 'acp', outcome: 'created' }]);
    const user = await h.client();

    const first = h.send(user, ['example'], 'please update the configuration', 60_000);
    const request = await nextRequest(h);
    expect(request).toMatchObject({ session: 'example', title: 'Modifying critical configuration file' });
    expect(request.options.map((o) => o.id)).toEqual(['allow', 'reject']);
    const approve = await h.cli(['approve', request.id]);
    expect(approve.code, approve.stderr).toBe(0);
    expect((await first).results).toEqual([{ target: 'example', outcome: 'delivered' }]);
    const [approved] = await h.inbox(user);
    expect(approved?.from).toBe('example');
    expect(approved?.body).toContain("I'll help you with that.");
    expect(approved?.body).toContain("Perfect! I've successfully updated the configuration.");

    const second = h.send(user, ['example'], 'try again', 60_000);
    const next = await nextRequest(h);
    const deny = await h.cli(['deny', next.id]);
    expect(deny.code, deny.stderr).toBe(0);
    expect((await second).results).toEqual([{ target: 'example', outcome: 'delivered' }]);
    const [denied] = await h.inbox(user);
    expect(denied?.body).toContain(
      "I understand you prefer not to make that change. I'll skip the configuration update.",
    );
    expect(denied?.body).not.toContain('Perfect!');

    const look = await h.cli(['look', 'example', '--lines', '200']);
    expect(look.stdout).toContain('⚙ Reading project files (read) completed');
    expect(look.stdout).toContain('⚙ Modifying critical configuration file (edit) completed');
    expect(look.stdout).toContain('# permission "Modifying critical configuration file": reject');
  }, 90_000);
});
