// One bundle with everything it depends on, resolved into members the relay can route to.
import { configFile, readBundle } from './load.js';
import { resolveMemberControls } from './policy.js';
import { throwFirstError } from './problems.js';
import { bundleReferenceProblems, operatorReferenceProblems, rawCoderReferenceProblems } from './references.js';
import { codersFileSchema } from './schemas/coders.js';
import { policiesFileSchema } from './schemas/policies.js';
import { emptyTuiConfig, tuiFileSchema } from './schemas/tui.js';
import { readConfigFile } from './toml-file.js';
import type { Coder, Member, Team } from './types.js';

/**
 * Loads and cross-checks a bundle; throws validation_unknown_bundle, or validation_invalid_config
 * (or validation_unknown_policy) listing every problem of the files the bundle depends on.
 */
export function loadTeam(configDir: string, bundleId: string): Team {
  // The bundle first: asking for one that does not exist is the more useful error.
  const bundleFile = readBundle(configDir, bundleId);
  const codersFile = readConfigFile(configFile(configDir, 'coders'), codersFileSchema);
  const policiesFile = readConfigFile(configFile(configDir, 'policies'), policiesFileSchema);
  const tuiFile = configFile(configDir, 'tui');
  const tuiParsed = readConfigFile(tuiFile, tuiFileSchema);
  const bundle = bundleFile.value;
  const coders = codersFile.missing ? new Map<string, Coder>() : codersFile.value;
  const policies = policiesFile.missing ? { presets: new Map() } : policiesFile.value;
  const tui = tuiParsed.missing ? emptyTuiConfig() : tuiParsed.value;
  const problems = [...bundleFile.problems, ...codersFile.problems, ...policiesFile.problems, ...tuiParsed.problems];
  if (bundle === undefined && bundleFile.data !== undefined && coders !== undefined)
    problems.push(
      ...rawCoderReferenceProblems(bundleFile.file, bundleFile.data, bundleFile.text, new Set(coders.keys())),
    );
  if (bundle !== undefined && coders !== undefined && policies !== undefined && tui !== undefined) {
    const policyIds = new Set(policies.presets.keys());
    problems.push(
      ...bundleReferenceProblems(bundle, bundleFile.text, {
        coders: new Set(coders.keys()),
        coderConfigs: coders,
        policies: policyIds,
        operators: new Set(tui.operators.map((operator) => operator.id)),
        tuiFile,
      }),
      ...operatorReferenceProblems(tui, tuiParsed.text, { policies: policyIds, tuiFile }),
    );
  }
  throwFirstError(problems);
  if (bundle === undefined || coders === undefined || policies === undefined || tui === undefined)
    throw new Error(`unreachable: bundle ${bundleId} loaded without values or problems`);
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
