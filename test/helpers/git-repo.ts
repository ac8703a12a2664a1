// A real git repository in a temp directory for worktree tests (never the user's repositories).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A temp repository and small helpers to change it. */
export interface TestRepo {
  path: string;
  /** Runs git in `cwd` (default: the repository) and returns its trimmed stdout. */
  git: (args: string[], cwd?: string) => string;
  /** Writes a file (relative to `cwd`, default the repository). */
  write: (file: string, text: string, cwd?: string) => void;
  /** Writes, adds and commits one file. */
  commit: (file: string, text: string, message: string, cwd?: string) => string;
}

/** `git init -b main` at `path` with one commit of README.md. */
export function makeRepo(path: string): TestRepo {
  mkdirSync(path, { recursive: true });
  const git = (args: string[], cwd = path): string =>
    execFileSync('git', ['-C', cwd, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
    }).trim();
  const write = (file: string, text: string, cwd = path): void => {
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), text);
  };
  const commit = (file: string, text: string, message: string, cwd = path): string => {
    write(file, text, cwd);
    git(['add', file], cwd);
    git(['commit', '-q', '-m', message], cwd);
    return git(['rev-parse', 'HEAD'], cwd);
  };
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.email', 'test@example.invalid']);
  git(['config', 'user.name', 'agentmux test']);
  git(['config', 'commit.gpgsign', 'false']);
  commit('README.md', 'hello\n', 'first');
  return { path, git, write, commit };
}
