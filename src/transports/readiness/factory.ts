// Maps a coder's `detector` setting to its detector; adding a kind without a case fails to compile.
import { claudeDetector } from './claude.js';
import { codexDetector } from './codex.js';
import { geminiDetector } from './gemini.js';
import { genericDetector } from './generic.js';
import type { DetectorKind, ReadinessDetector } from './types.js';

/** The detector for `kind`; detectors are stateless, so the same instance serves every pane. */
export function detectorFor(kind: DetectorKind): ReadinessDetector {
  switch (kind) {
    case 'generic':
      return genericDetector;
    case 'claude':
      return claudeDetector;
    case 'codex':
      return codexDetector;
    case 'gemini':
      return geminiDetector;
    default:
      return unknownKind(kind);
  }
}

function unknownKind(kind: never): never {
  throw new TypeError(`unknown readiness detector: ${String(kind)}`);
}
