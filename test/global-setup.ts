// One temp root per test run; teardown stops every relay and tmux server started under it,
// so no test run leaves processes behind even when a test fails before its own cleanup.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function walk(dir: string, found: string[] = []): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) walk(path, found);
    else if (name === 'relay.lock' || name === 'tmux.sock' || name === 'pids') found.push(path);
  }
  return found;
}

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'amt-'));
  process.env.AGENTMUX_TEST_ROOT = root;
  return () => {
    for (const path of walk(root)) {
      if (path.endsWith('tmux.sock')) {
        try {
          execFileSync('tmux', ['-S', path, 'kill-server'], { stdio: 'ignore', timeout: 5000 });
        } catch {
          // already gone
        }
        continue;
      }
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        const pid = Number.parseInt(line.trim(), 10);
        if (Number.isInteger(pid) && pid > 1) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
}
