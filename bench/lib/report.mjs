// The one machine-readable line every bench ends with; bench/run.mjs reads it.

/** Prefix that marks the final figures line among a bench's human lines. */
export const RESULT_PREFIX = '{"bench":';

/** Prints a human line. */
export function say(text) {
  process.stdout.write(`${text}\n`);
}

/** Prints `{"bench": name, ...figures}` as the bench's last stdout line. */
export function printResult(name, figures) {
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
}
