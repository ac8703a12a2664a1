// Screen rules are JavaScript regexes; Node 20 has no inline flag groups, so a leading `(?ims)`
// is turned into flags and any other inline group is refused instead of silently misread.
import { AgentmuxError } from '../core/errors.js';

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;
const ALLOWED_FLAGS = new Set(['i', 'm', 's']);
const REGEX_HINT =
  'write a JavaScript regex; only a leading (?i), (?m), (?s) or a combination such as (?ms) may set flags';

/** Compiles a rule regex with flag `u` plus the flags of a leading `(?ims)` group; throws validation_invalid_config. */
export function compileRuleRegex(source: string): RegExp {
  let flags = 'u';
  let body = source;
  const leading = LEADING_FLAGS.exec(source);
  if (leading !== null) {
    const letters = leading[1] ?? '';
    for (const letter of letters) {
      if (!ALLOWED_FLAGS.has(letter) || flags.includes(letter)) {
        throw invalid(
          source,
          `inline flag group (?${letters}) is not supported: a leading group may hold only i, m and s, each once`,
        );
      }
      flags += letter;
    }
    body = source.slice(leading[0].length);
  }
  const inline = findInlineGroup(body);
  if (inline !== undefined) {
    throw invalid(source, `inline flag group ${inline} is not supported (only a leading (?ims) group is)`);
  }
  try {
    return new RegExp(body, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(source, reason);
  }
}

// An unescaped `(?` outside a character class followed by a letter or `-` opens an inline
// modifier group (`(?i)`, `(?-i)`, `(?x:…)`); `(?:`, `(?=`, `(?!`, `(?<…` are ordinary JS.
function findInlineGroup(body: string): string | undefined {
  let inClass = false;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') {
      inClass = true;
      continue;
    }
    if (char === '(' && body[index + 1] === '?' && /[A-Za-z-]/.test(body[index + 2] ?? '')) {
      const close = /^\(\?[A-Za-z-]*[:)]?/.exec(body.slice(index));
      return close?.[0] ?? '(?';
    }
  }
  return undefined;
}

function invalid(source: string, reason: string): AgentmuxError {
  return new AgentmuxError('validation_invalid_config', `invalid regex /${source}/: ${reason}`, {
    details: { regex: source },
    hint: REGEX_HINT,
  });
}
