// One options table for `send`: the yargs command and the fast path (node:util parseArgs) read
// the same argv into the same send options.
import { parseArgs } from 'node:util';
import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { sendOptionsOf, withSendOptions, type SendArgs } from '../../../src/cli/commands/send.js';
import type { GlobalArgs } from '../../../src/cli/global-args.js';
import { parseArgsOptions, SEND_OPTION_SPECS } from '../../../src/cli/send-options.js';

const ARGV = [
  '-t',
  'bob',
  '--target',
  'carol',
  '-m',
  'hello',
  '--subject',
  'greeting',
  '--reply-to',
  '01JD5Z8X9Q7M2K4N6P8R0T2V4W',
  '--request-id',
  'req-1',
  '--wait',
  '--timeout-ms',
  '5000',
];

function viaYargs(argv: string[]): SendArgs {
  const parser = withSendOptions(yargs([]).strict().exitProcess(false) as unknown as Argv<GlobalArgs>);
  return parser.parseSync(argv);
}

describe('send options', () => {
  it('gives the yargs path every option of the table, with the same meaning as the fast path', () => {
    const args = viaYargs(ARGV);
    const options = sendOptionsOf({ ...args, json: false });
    expect(options).toEqual({
      targets: ['bob', 'carol'],
      broadcast: false,
      message: 'hello',
      subject: 'greeting',
      replyTo: '01JD5Z8X9Q7M2K4N6P8R0T2V4W',
      requestId: 'req-1',
      wait: true,
      timeoutMs: 5000,
      json: false,
    });
    const fast = parseArgs({ args: ARGV, options: parseArgsOptions(SEND_OPTION_SPECS), strict: true }).values;
    expect(fast).toEqual({
      target: options.targets,
      message: options.message,
      subject: options.subject,
      'reply-to': options.replyTo,
      'request-id': options.requestId,
      wait: true,
      'timeout-ms': '5000',
    });
  });

  it('accepts --reply-to without a target on both paths (the relay addresses the sender)', () => {
    const argv = ['--reply-to', '01JD5Z8X9Q7M2K4N6P8R0T2V4W', '--message', 'thanks'];
    expect(sendOptionsOf({ ...viaYargs(argv), json: false })).toMatchObject({
      targets: [],
      replyTo: '01JD5Z8X9Q7M2K4N6P8R0T2V4W',
      message: 'thanks',
      timeoutMs: SEND_OPTION_SPECS['timeout-ms'].default,
    });
    const fast = parseArgs({ args: argv, options: parseArgsOptions(SEND_OPTION_SPECS), strict: true }).values;
    expect(fast).toEqual({ 'reply-to': '01JD5Z8X9Q7M2K4N6P8R0T2V4W', message: 'thanks' });
  });

  it('defines every option once: the yargs help lists exactly the table', async () => {
    const help = await withSendOptions(yargs([]).exitProcess(false) as unknown as Argv<GlobalArgs>).getHelp();
    for (const name of Object.keys(SEND_OPTION_SPECS)) expect(help).toContain(`--${name}`);
  });
});
