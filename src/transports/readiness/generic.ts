// The generic detector (DESIGN "Settled details" 16): the composer rules test the last
// `prompt-inspect-lines` lines of the screen, trailing blank lines dropped.
import { assessScreen, inspectedTail } from './assess.js';
import type { ReadinessDetector, ScreenSnapshot } from './types.js';

/** For shells, the scripted agent and any program whose prompt sits on the last lines. */
export const genericDetector: ReadinessDetector = {
  kind: 'generic',
  assess: (screen, rules) =>
    assessScreen(screen, rules, (snapshot) => inspectedTail(snapshot.lines, rules.promptInspectLines)),
  composerText: (screen: ScreenSnapshot) => {
    // Without structure the best guess is the cursor's row, prompt included.
    const row = screen.lines[screen.cursorY];
    return row === undefined ? null : row.trimEnd();
  },
};
