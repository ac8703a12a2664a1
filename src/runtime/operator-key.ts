// The bundle's operator key: a random secret the relay keeps in its 0700 runtime directory
// (0600). A human's shell proves it is the operator by reading it; an agent's pane instead
// carries a credential derived from it for its own session only (docs/reliability.md, "Trust
// model"). Reading it is cheap (node:fs only) because `agentmux send` does it on its fast path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the operator key inside a bundle's runtime directory. */
export const OPERATOR_KEY_FILE = 'operator.key';

/** Path of the operator key of the bundle whose runtime directory is `bundleDir`. */
export function operatorKeyPath(bundleDir: string): string {
  return join(bundleDir, OPERATOR_KEY_FILE);
}

/** The operator key, or undefined when it does not exist (yet) or cannot be read. */
export function readOperatorKey(bundleDir: string): string | undefined {
  try {
    const text = readFileSync(operatorKeyPath(bundleDir), 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
