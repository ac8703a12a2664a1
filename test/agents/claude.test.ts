// Issue 12 with Claude Code 2.1.197 (the fastest start, every hook): see helpers/suite.ts.
import { describeRealAgent } from './helpers/suite.js';

describeRealAgent({
  cli: 'claude',
  submitDelayMs: 150,
  clearDraftKeys: ['C-u'],
  approveKeys: ['Enter'], // "1. Yes" is preselected
  hookStates: ['busy', 'idle'],
  resumed: /^claude --resume [0-9a-f-]{36}$/,
});
