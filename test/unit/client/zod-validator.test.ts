import { afterEach, expect, it } from 'vitest';
import { COMPILE_AFTER_PARSES, zodValidator } from '../../../src/client/zod-validator.js';

const realFunction = globalThis.Function;

afterEach(() => {
  globalThis.Function = realFunction;
});

/** Runs `work` and returns how many functions zod compiled meanwhile. */
function compiledDuring(work: () => void): number {
  let compiled = 0;
  globalThis.Function = new Proxy(realFunction, {
    construct(target, args: string[]) {
      compiled += 1;
      return Reflect.construct(target, args);
    },
  });
  try {
    work();
  } finally {
    globalThis.Function = realFunction;
  }
  return compiled;
}

const ack = { acked: ['m1'], unknown: [], unread: 0 };

it('checks a result without compiling a parser for it (a command or a first frame parses each kind once)', () => {
  let checked: unknown;
  expect(compiledDuring(() => (checked = zodValidator.result('inbox.ack', ack)))).toBe(0);
  expect(checked).toEqual({ ok: true, value: ack });
  expect(zodValidator.result('inbox.ack', { acked: 'm1' })).toEqual({ ok: false });
});

it('lets zod compile a parser once a kind of value has been checked often', () => {
  const reload = { changes: [], restarting: false };
  expect(
    compiledDuring(() => {
      for (let i = 0; i < COMPILE_AFTER_PARSES; i += 1) zodValidator.result('relay.reload', reload);
    }),
  ).toBe(0);
  expect(compiledDuring(() => zodValidator.result('relay.reload', reload))).toBeGreaterThan(0);
  expect(zodValidator.result('relay.reload', reload)).toEqual({ ok: true, value: reload });
});
