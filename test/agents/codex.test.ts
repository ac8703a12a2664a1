// Issue 12 with Codex CLI 0.171.0 (alternate screen, the strictest paste→Enter heuristic after
// send-keys, `notify` as its hook): see helpers/suite.ts.
import { describeRealAgent } from './helpers/suite.js';

describeRealAgent({
  cli: 'codex',
  submitDelayMs: 150,
  clearDraftKeys: ['C-u'],
  approveKeys: ['y'], // the overlay's "Yes, proceed" hot-key
  hookStates: ['idle'], // notify reports only a finished turn
  resumed: /^codex --no-daemon resume [0-9a-f-]{36}$/,
});
