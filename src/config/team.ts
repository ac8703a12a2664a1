// One bundle with everything it depends on, resolved into members the relay can route to.
import { readFileSync } from 'node:fs';

import { configFile, loadBundle, loadCoders, loadPolicies, loadTui } from './load.js';
import { resolveMemberControls } from './policy.js';
import { throwFirstError } from './problems.js';
import { bundleReferenceProblems, operatorReferenceProblems } from './references.js';
import type { Member, Team } from './types.js';

/** Loads and cross-checks a bundle; throws validation_invalid_config or validation_unknown_policy. */
export function loadTeam(configDir: string, bundleId: string): Team {
  // The bundle first: asking for one that does not exist is the more useful error.
  const bundle = loadBundle(configDir, bundleId);
  const coders = loadCoders(configDir);
  const policies = loadPolicies(configDir);
  const tui = loadTui(configDir);
  const tuiFile = configFile(configDir, 'tui');
  const policyIds = new Set(policies.presets.keys());
  throwFirstError([
    ...bundleReferenceProblems(bundle, readText(bundle.file), {
      coders: new Set(coders.keys()),
      coderConfigs: coders,
      policies: policyIds,
      operators: new Set(tui.operators.map((operator) => operator.id)),
      tuiFile,
    }),
    ...operatorReferenceProblems(tui, readText(tuiFile), { policies: policyIds, tuiFile }),
  ]);
  const agents = bundle.sessions.map((session): Member => {
    const coder = session.coder === undefined ? undefined : coders.get(session.coder);
    return {
      id: session.id,
      name: session.name,
      description: session.description,
      role: 'agent',
      // No coder: an SDK client that reaches the relay over its socket.
      transport: coder?.kind ?? 'socket',
      coder,
      session,
      controls: resolveMemberControls('agent', session.policy, policies),
    };
  });
  const operators = tui.operators.map((operator): Member => ({
    id: operator.id,
    name: operator.name,
    role: 'operator',
    transport: 'socket',
    controls: resolveMemberControls('operator', operator.policy, policies),
  }));
  return { configDir, bundle, coders, policies, tui, members: [...agents, ...operators] };
}

/** The member with `id`, if the team has one. */
export function findMember(team: Team, id: string): Member | undefined {
  return team.members.find((member) => member.id === id);
}

// Line numbers are a courtesy; a file that vanished since it was loaded just has none.
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
