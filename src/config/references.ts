// Checks that span files: coders and policies a bundle or tui.toml names, and ids used both
// as an agent and as an operator. Shared by `loadTeam` (throws the first) and `check` (lists all).
import { closestName } from '../core/closest-name.js';
import { locateKeyLine } from './locate-key.js';
import { formatKey, makeProblem } from './problems.js';
import type { CodedProblem, KeyPath } from './problems.js';
import type { BundleConfig, Coder, TuiConfig } from './types.js';

/** What is known about the other files; an absent set means "unknown, do not check". */
export interface KnownIds {
  coders?: ReadonlySet<string>;
  /** Fully parsed coders, for checks that need more than the id. */
  coderConfigs?: ReadonlyMap<string, Coder>;
  policies?: ReadonlySet<string>;
  operators?: ReadonlySet<string>;
  tuiFile: string;
}

/** Problems in a bundle's references to coders, policies and operator ids. */
export function bundleReferenceProblems(
  bundle: BundleConfig,
  text: string | undefined,
  known: KnownIds,
): CodedProblem[] {
  const problems: CodedProblem[] = [];
  const at = (
    path: KeyPath,
    message: string,
    hint: string,
    code: CodedProblem['code'] = 'validation_invalid_config',
  ) => {
    const problem = makeProblem(bundle.file, 'error', message, {
      key: formatKey(path),
      line: text === undefined ? undefined : locateKeyLine(text, path),
      hint,
    });
    problems.push({ ...problem, code });
  };
  bundle.sessions.forEach((session, index) => {
    if (known.operators?.has(session.id) === true) {
      at(
        ['sessions', index, 'id'],
        `"${session.id}" is also an operator session in ${known.tuiFile}`,
        'an id names one participant; rename the agent session or the operator',
      );
    }
    if (session.coder !== undefined && known.coders !== undefined && !known.coders.has(session.coder)) {
      at(
        ['sessions', index, 'coder'],
        `unknown coder "${session.coder}"`,
        listHint('coders.toml', known.coders, session.coder),
      );
    }
    if (session.policy !== undefined && known.policies !== undefined && !known.policies.has(session.policy)) {
      at(
        ['sessions', index, 'policy'],
        `unknown policy "${session.policy}"`,
        listHint('policies.toml', known.policies),
        'validation_unknown_policy',
      );
    }
    const coder = session.coder === undefined ? undefined : known.coderConfigs?.get(session.coder);
    if (session.coderSessionId !== undefined && coder?.kind === 'tmux' && coder.resumeCommand === undefined) {
      at(
        ['sessions', index, 'coder-session-id'],
        `coder "${coder.id}" has no resume-command to resume "${session.coderSessionId}" with`,
        'add resume-command to the coder, or remove coder-session-id',
      );
    }
  });
  return problems;
}

/** Problems in tui.toml's references to policies. */
export function operatorReferenceProblems(
  tui: TuiConfig,
  text: string | undefined,
  known: Pick<KnownIds, 'policies' | 'tuiFile'>,
): CodedProblem[] {
  const problems: CodedProblem[] = [];
  tui.operators.forEach((operator, index) => {
    if (operator.policy === undefined || known.policies === undefined || known.policies.has(operator.policy)) return;
    const path = ['sessions', index, 'policy'];
    const problem = makeProblem(known.tuiFile, 'error', `unknown policy "${operator.policy}"`, {
      key: formatKey(path),
      line: text === undefined ? undefined : locateKeyLine(text, path),
      hint: listHint('policies.toml', known.policies),
    });
    problems.push({ ...problem, code: 'validation_unknown_policy' });
  });
  return problems;
}

/**
 * Unknown coders named by a bundle file that did not validate (its raw TOML), so one pass
 * reports them together with the bundle's own problems.
 */
export function rawCoderReferenceProblems(
  file: string,
  data: Record<string, unknown>,
  text: string | undefined,
  coders: ReadonlySet<string>,
): CodedProblem[] {
  const sessions = Array.isArray(data.sessions) ? (data.sessions as unknown[]) : [];
  const problems: CodedProblem[] = [];
  sessions.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null) return;
    const coder: unknown = (entry as Record<string, unknown>).coder;
    if (typeof coder !== 'string' || coders.has(coder.trim())) return;
    const path = ['sessions', index, 'coder'];
    const problem = makeProblem(file, 'error', `unknown coder "${coder}"`, {
      key: formatKey(path),
      line: text === undefined ? undefined : locateKeyLine(text, path),
      hint: listHint('coders.toml', coders, coder),
    });
    problems.push({ ...problem, code: 'validation_invalid_config' });
  });
  return problems;
}

function listHint(file: string, ids: ReadonlySet<string>, typed?: string): string {
  const names = [...ids].map((id) => `"${id}"`).join(', ');
  const meant = typed === undefined ? undefined : closestName(typed, ids);
  const guess = meant === undefined ? '' : `did you mean "${meant}"? `;
  return names === '' ? `${file} defines none; add one there` : `${guess}${file} defines ${names}`;
}
