// The original agentmux's per-worktree MCP override, kept so its users' files keep working:
// `<worktree>/.auxiliary/configuration/agentmux/overrides/mcp.toml` with the snake_case keys
// `bundle_name`, `session_name` and `config_root` (relative to the worktree root).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { z } from 'zod';

import { OVERRIDE_RELATIVE_PATH, findWorktreeRoot } from '../config/trust.js';

/** Path of the override file inside a worktree, and how the worktree is found. */
export { OVERRIDE_RELATIVE_PATH, findWorktreeRoot };

/** What looking for the override file found. */
export type OverrideLookup =
  | { kind: 'absent'; detail: string }
  | { kind: 'invalid'; file: string; problem: string }
  | { kind: 'found'; file: string; root: string; bundle?: string; session?: string; configRoot?: string };

const OverrideSchema = z.strictObject({
  bundle_name: z.string().optional(),
  session_name: z.string().optional(),
  config_root: z.string().optional(),
});

/** Reads the override file of the worktree containing `cwd`. */
export function readOverride(cwd: string): OverrideLookup {
  const root = findWorktreeRoot(cwd);
  if (root === undefined) return { kind: 'absent', detail: `${cwd} is not inside a git worktree (no override file)` };
  const file = join(root, OVERRIDE_RELATIVE_PATH);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent', detail: `${file} does not exist` };
    return { kind: 'invalid', file, problem: `cannot read: ${code ?? String(error)}` };
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    return { kind: 'invalid', file, problem: `not valid TOML: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
  const parsed = OverrideSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return {
      kind: 'invalid',
      file,
      problem: `${where}${issue?.message ?? 'invalid'} (keys: bundle_name, session_name, config_root)`,
    };
  }
  const { bundle_name: bundle, session_name: session, config_root: configRoot } = parsed.data;
  return {
    kind: 'found',
    file,
    root,
    ...(bundle === undefined ? {} : { bundle }),
    ...(session === undefined ? {} : { session }),
    ...(configRoot === undefined ? {} : { configRoot: resolve(root, configRoot) }),
  };
}
