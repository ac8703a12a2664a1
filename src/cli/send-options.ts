// The options of `agentmux send`, defined once for both parsers: the fast path (node:util
// parseArgs, no yargs) and the yargs command. Plain data: importing it costs nothing.

/** One command-line option. `number` options reach parseArgs as strings (it has no numbers). */
export interface CliOptionSpec {
  type: 'string' | 'boolean' | 'number';
  short?: string;
  multiple?: boolean;
  default?: boolean | number;
  describe: string;
}

/** The options of `send`, in the order help lists them. */
export const SEND_OPTION_SPECS = {
  target: { type: 'string', short: 't', multiple: true, describe: 'Recipient session id (repeatable)' },
  broadcast: { type: 'boolean', default: false, describe: 'Send to every agent of the bundle except me' },
  message: { type: 'string', short: 'm', describe: 'Message text (else read from stdin)' },
  subject: { type: 'string', describe: 'Optional subject line' },
  'reply-to': {
    type: 'string',
    describe: 'Id of the message this answers (joins its thread; without --target, goes to its sender)',
  },
  'request-id': { type: 'string', describe: 'Idempotency key: resending with it never duplicates' },
  wait: { type: 'boolean', default: false, describe: 'Wait until every recipient has it (exit 1 otherwise)' },
  'timeout-ms': { type: 'number', default: 30_000, describe: 'How long --wait waits' },
} as const satisfies Record<string, CliOptionSpec>;

/** parseArgs' view of an options table (numbers as strings, no defaults: the caller applies them). */
export function parseArgsOptions(
  specs: Readonly<Record<string, CliOptionSpec>>,
): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === true ? { multiple: true } : {}),
    };
  }
  return options;
}
