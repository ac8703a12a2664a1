// The error catalogue: stable codes, exit codes, wrapping, and the JSON-RPC class of each code.
import { describe, expect, it } from 'vitest';
import { AgentmuxError, ERROR_CATALOGUE, exitCodeFor, isErrorCode, toAgentmuxError } from '../../../src/core/errors.js';
import {
  JSONRPC_APPLICATION_ERROR,
  JSONRPC_INTERNAL_ERROR,
  JSONRPC_INVALID_PARAMS,
  JSONRPC_METHOD_NOT_FOUND,
  JSONRPC_PARSE_ERROR,
  jsonRpcClassFor,
} from '../../../src/core/protocol/index.js';

describe('AgentmuxError', () => {
  it('carries code, details and the catalogue hint unless one is given', () => {
    const error = new AgentmuxError('validation_unknown_target', 'no such target', { details: { target: 'x' } });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('validation_unknown_target');
    expect(error.details).toEqual({ target: 'x' });
    expect(error.hint).toBe(ERROR_CATALOGUE.validation_unknown_target);
    expect(new AgentmuxError('relay_timeout', 'slow', { hint: 'wait' }).hint).toBe('wait');
  });

  it('keeps the cause when wrapping a foreign error, and passes ours through unchanged', () => {
    const cause = new RangeError('boom');
    const wrapped = toAgentmuxError(cause);
    expect(wrapped.code).toBe('internal_unexpected_failure');
    expect(wrapped.message).toBe('boom');
    expect(wrapped.cause).toBe(cause);
    expect(toAgentmuxError('plain string').message).toBe('plain string');
    const ours = new AgentmuxError('relay_unavailable', 'down');
    expect(toAgentmuxError(ours)).toBe(ours);
  });

  it('recognises catalogue codes only', () => {
    expect(isErrorCode('validation_invalid_params')).toBe(true);
    expect(isErrorCode('no_such_code')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });

  it('uses snake_case codes with the documented prefixes', () => {
    for (const code of Object.keys(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^(validation|authorization|relay|runtime|internal)_[a-z0-9_]+$/);
    }
  });

  it('exits 2 for argument errors and 1 for everything else', () => {
    expect(exitCodeFor(new AgentmuxError('validation_missing_message_input', 'x'))).toBe(2);
    expect(exitCodeFor(new AgentmuxError('validation_empty_targets', 'x'))).toBe(2);
    expect(exitCodeFor(new AgentmuxError('validation_unknown_target', 'x'))).toBe(1);
    expect(exitCodeFor(new AgentmuxError('relay_unavailable', 'x'))).toBe(1);
  });
});

describe('jsonRpcClassFor', () => {
  it('maps our codes onto the JSON-RPC numeric classes', () => {
    expect(jsonRpcClassFor('validation_invalid_frame')).toBe(JSONRPC_PARSE_ERROR);
    expect(jsonRpcClassFor('validation_unknown_method')).toBe(JSONRPC_METHOD_NOT_FOUND);
    expect(jsonRpcClassFor('validation_invalid_params')).toBe(JSONRPC_INVALID_PARAMS);
    expect(jsonRpcClassFor('validation_body_too_large')).toBe(JSONRPC_INVALID_PARAMS);
    expect(jsonRpcClassFor('internal_unexpected_failure')).toBe(JSONRPC_INTERNAL_ERROR);
    expect(jsonRpcClassFor('authorization_forbidden')).toBe(JSONRPC_APPLICATION_ERROR);
    expect(jsonRpcClassFor('relay_timeout')).toBe(JSONRPC_APPLICATION_ERROR);
  });
});
