// Text-level edits of [[sessions]] blocks: comments, layout and other sessions survive.
import { describe, expect, it } from 'vitest';
import { appendSession, removeSession, sessionIdsOf } from '../../../src/config/bundle-edit.js';
import { AgentmuxError } from '../../../src/core/errors.js';

const FILE = `# my team — hand-written
format-version = 1
description = "the team" # trailing comment
worktree = true

# Alice plans.
[[sessions]]
id = 'alice'   # the planner
directory = "/src/app"
coder = 'claude'

# Bob codes; keep this comment.
[[sessions]]
id = "bob"
directory = "/src/app"
coder = 'codex'

# the end
`;

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AgentmuxError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('appendSession', () => {
  it('adds a block at the end and leaves every other byte as it was', () => {
    const next = appendSession(FILE, { id: 'carol', directory: '/src/app', coder: 'gemini', worktree: true });
    expect(next.startsWith(FILE.trimEnd())).toBe(true);
    expect(next.slice(FILE.trimEnd().length)).toBe(
      "\n\n[[sessions]]\nid = 'carol'\ndirectory = '/src/app'\ncoder = 'gemini'\nworktree = true\n",
    );
    expect(sessionIdsOf(next)).toEqual(['alice', 'bob', 'carol']);
  });

  it('refuses an id that is already there', () => {
    expect(codeOf(() => appendSession(FILE, { id: 'bob', directory: '/x' }))).toBe('validation_session_exists');
  });

  it('writes into an empty file', () => {
    expect(appendSession('', { id: 'a', directory: '/x' })).toBe("[[sessions]]\nid = 'a'\ndirectory = '/x'\n");
  });

  it('keeps CRLF line ends', () => {
    const next = appendSession('format-version = 1\r\n', { id: 'a', directory: '/x' });
    expect(next).toBe("format-version = 1\r\n\r\n[[sessions]]\r\nid = 'a'\r\ndirectory = '/x'\r\n");
  });
});

describe('removeSession', () => {
  it('removes the block with its own leading comment and keeps the next block’s comment', () => {
    const next = removeSession(FILE, 'alice');
    expect(next).toBe(`# my team — hand-written
format-version = 1
description = "the team" # trailing comment
worktree = true

# Bob codes; keep this comment.
[[sessions]]
id = "bob"
directory = "/src/app"
coder = 'codex'

# the end
`);
  });

  it('removes the last block and keeps the trailing comment of the file', () => {
    const next = removeSession(FILE, 'bob');
    expect(sessionIdsOf(next)).toEqual(['alice']);
    expect(next).toContain('# Alice plans.');
    expect(next).not.toContain('# Bob codes');
    expect(next.endsWith('# the end\n')).toBe(true);
  });

  it('does not mistake a commented-out example for a session', () => {
    const text =
      "format-version = 1\n\n# [[sessions]]\n# id = 'alice'\n\n[[sessions]]\nid = 'alice'\ndirectory = '/x'\n";
    const next = removeSession(text, 'alice');
    expect(next).toContain("# [[sessions]]\n# id = 'alice'");
    expect(sessionIdsOf(next)).toEqual([]);
  });

  it('refuses an unknown id', () => {
    expect(codeOf(() => removeSession(FILE, 'zed'))).toBe('validation_unknown_session');
  });

  it('round-trips: add then remove gives the file back', () => {
    const added = appendSession(FILE, { id: 'carol', directory: '/src/app' });
    expect(removeSession(added, 'carol')).toBe(`${FILE.trimEnd()}\n`);
  });
});
