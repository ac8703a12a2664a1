// Issue 12 with Gemini CLI 0.61.0 (the slowest start, Enter within ~57 ms of a paste is a
// newline, orphaned node processes after kill-session): see helpers/suite.ts.
import { describeRealAgent } from './helpers/suite.js';

describeRealAgent({
  cli: 'gemini',
  submitDelayMs: 150,
  clearDraftKeys: ['C-c'], // never Escape twice: that opens /rewind
  approveKeys: ['Enter'], // "1. Allow once" is preselected
  hookStates: ['busy', 'idle'],
  resumed: /^gemini --resume [0-9a-f-]{36}$/,
});
