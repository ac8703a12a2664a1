import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfigText } from '../../../src/config/toml-file.js';

const realFunction = globalThis.Function;

afterEach(() => {
  globalThis.Function = realFunction;
});

it('compiles no code to validate a file: each file is checked once, so compiling costs more than it saves', () => {
  // zod compiles an object schema into a specialised parser (new Function) on its first parse
  // unless told not to; every start of the relay, the dashboard and the CLI paid for that.
  const schema = z.object({ 'format-version': z.literal(1), sessions: z.array(z.object({ id: z.string() })) });
  const compiled: string[] = [];
  globalThis.Function = new Proxy(realFunction, {
    construct(target, args: string[]) {
      compiled.push(String(args.at(-1)).slice(0, 60));
      return Reflect.construct(target, args);
    },
  });
  const parsed = parseConfigText('team.toml', 'format-version = 1\n[[sessions]]\nid = "alice"\n', schema);
  globalThis.Function = realFunction;
  expect(parsed.problems).toEqual([]);
  expect(parsed.value).toEqual({ 'format-version': 1, sessions: [{ id: 'alice' }] });
  expect(compiled).toEqual([]);
});
