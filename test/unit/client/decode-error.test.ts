// Errors that crossed the wire become AgentmuxErrors with our stable codes.
import { describe, expect, it } from 'vitest';
import { decodeError } from '../../../src/client/index.js';
import { AgentmuxError, ERROR_CATALOGUE } from '../../../src/core/errors.js';

describe('decodeError', () => {
  it('keeps the code, message, details and hint of a catalogue error', () => {
    const error = decodeError({
      code: -32602,
      message: 'unknown target session: mallory',
      data: { code: 'validation_unknown_target', details: { unknown_targets: ['mallory'] }, hint: 'run list' },
    });
    expect(error).toBeInstanceOf(AgentmuxError);
    expect(error.code).toBe('validation_unknown_target');
    expect(error.message).toBe('unknown target session: mallory');
    expect(error.details).toEqual({ unknown_targets: ['mallory'] });
    expect(error.hint).toBe('run list');
  });

  it('uses the catalogue hint when the relay sent none', () => {
    const error = decodeError({ code: -32000, message: 'denied', data: { code: 'authorization_forbidden' } });
    expect(error.code).toBe('authorization_forbidden');
    expect(error.hint).toBe(ERROR_CATALOGUE.authorization_forbidden);
    expect(error.details).toBeUndefined();
  });

  it.each([
    ['an unknown code', { message: 'x', data: { code: 'brand_new_code' } }],
    ['an inherited property name', { message: 'x', data: { code: 'constructor' } }],
    ['a numeric code', { message: 'x', data: { code: 42 } }],
    ['no data', { code: -32603, message: 'x' }],
  ])('maps %s to internal_unexpected_failure and keeps the message', (_label, raw) => {
    const error = decodeError(raw);
    expect(error.code).toBe('internal_unexpected_failure');
    expect(error.message).toBe('x');
  });

  it.each([null, undefined, 'boom', 42, []])('survives a malformed error object (%j)', (raw) => {
    const error = decodeError(raw);
    expect(error.code).toBe('internal_unexpected_failure');
    expect(error.message).toBe('relay error');
  });

  it('drops details and hints of the wrong type', () => {
    const error = decodeError({ message: 'm', data: { code: 'relay_timeout', details: 'text', hint: 7 } });
    expect(error.code).toBe('relay_timeout');
    expect(error.details).toBeUndefined();
    expect(error.hint).toBe(ERROR_CATALOGUE.relay_timeout);
  });
});
