import { describe, expect, it } from 'vitest';

import { compileRuleRegex } from '../../../src/config/regex.js';
import { AgentmuxError } from '../../../src/core/errors.js';

function thrown(source: string): AgentmuxError {
  try {
    compileRuleRegex(source);
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error(`expected ${source} to be refused`);
}

describe('compileRuleRegex', () => {
  it('always compiles with the u flag', () => {
    const regex = compileRuleRegex('❯[ \\u00a0]*$');
    expect(regex.flags).toBe('u');
    expect(regex.test('❯\u00a0')).toBe(true);
  });

  it('turns a leading (?ims) group into flags', () => {
    const regex = compileRuleRegex('(?ms)^a.b$');
    expect(regex.flags).toBe('msu');
    expect(regex.source).toBe('^a.b$');
    expect(regex.test('x\na\nb')).toBe(true);
    expect(compileRuleRegex('(?i)hello').test('HELLO')).toBe(true);
    expect(compileRuleRegex('(?m)^x$').test('a\nx\nb')).toBe(true);
  });

  it('keeps ordinary JavaScript groups', () => {
    expect(compileRuleRegex('(?:a|b)(?=c)(?!d)(?<=x)(?<name>e)').flags).toBe('u');
    expect(compileRuleRegex('[(?i)]').test('?')).toBe(true);
    expect(compileRuleRegex('\\(?i\\)').test('(i)')).toBe(true);
  });

  it.each(['a(?i)b', '(?x)abc', '(?-i)abc', '(?i:abc)', 'a(?s:.)', '(?im)(?s)a'])(
    'refuses the inline group in %s with a hint',
    (source) => {
      const error = thrown(source);
      expect(error.code).toBe('validation_invalid_config');
      expect(error.message).toContain('inline flag group');
      expect(error.hint).toContain('leading');
    },
  );

  it('refuses unknown or repeated leading flags', () => {
    expect(thrown('(?g)a').message).toContain('only i, m and s');
    expect(thrown('(?ii)a').message).toContain('only i, m and s');
  });

  it('reports JavaScript syntax errors as config errors', () => {
    const error = thrown('a(b');
    expect(error.code).toBe('validation_invalid_config');
    expect(error.details).toEqual({ regex: 'a(b' });
  });
});
