// ACP commands are split like a shell would split one simple command, without a shell.
import { describe, expect, it } from 'vitest';
import { parseAgentCommand } from '../../../src/transports/acp/command-line.js';

describe('parseAgentCommand', () => {
  it('honours quotes, escapes and $VAR expansion instead of splitting on spaces', () => {
    expect(
      parseAgentCommand(`opencode acp --model "gpt 5" 'it''s' a\\ b $HOME/x \${TOOL}`, { HOME: '/h', TOOL: 't' }),
    ).toEqual(['opencode', 'acp', '--model', 'gpt 5', 'its', 'a b', '/h/x', 't']);
  });

  it('keeps globs literal and stops at a comment', () => {
    expect(parseAgentCommand('agent *.md # started by agentmux', {})).toEqual(['agent', '*.md']);
  });

  it('refuses shell operators and empty commands', () => {
    expect(() => parseAgentCommand('agent | tee log', {})).toThrow(/shell operator "\|"/);
    expect(() => parseAgentCommand('agent > out', {})).toThrow(/shell operator ">"/);
    expect(() => parseAgentCommand('a && b', {})).toThrow(/validation_invalid_config|shell operator/);
    expect(() => parseAgentCommand('   ', {})).toThrow(/empty/);
    expect(() => parseAgentCommand('$UNSET', {})).toThrow(/empty/);
  });
});
