// The `agentmux hook` entry, built on its own as dist/hook.cjs: bin/agentmux requires it directly
// for `hook`, so a hook run loads argument parsing, the identity and one socket report only
// (DESIGN settled 21: no stdout, exit 0, ≤ 1 s, no relay start-up).
export { runHookArgv } from './commands/hook.js';
