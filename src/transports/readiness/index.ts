// Public surface of the readiness detectors.
export { DETECTOR_KINDS } from './types.js';
export type { DetectorKind, ReadinessDetector, ScreenRules, ScreenSnapshot, ScreenVerdict } from './types.js';
export { detectorFor } from './factory.js';
export { genericDetector } from './generic.js';
export { claudeDetector } from './claude.js';
export { codexDetector } from './codex.js';
export { geminiDetector } from './gemini.js';
export { assessScreen, inspectedTail } from './assess.js';
export type { ComposerLocator, ComposerRegion } from './assess.js';
export { collapsedPaste, collapsedPasteIn, placeholderFits } from './collapsed-paste.js';
export type { CollapsedPaste } from './collapsed-paste.js';
