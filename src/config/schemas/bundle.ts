// bundles/<id>.toml: one team, its agent sessions and the groups it belongs to.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

import type { AgentSessionConfig, BundleConfig } from '../types.js';
import {
  formatVersionSchema,
  optionalTextSchema,
  patternSchema,
  reportDuplicates,
  requiredTextSchema,
  sessionIdSchema,
} from './common.js';
import { hostIdSchema, hostSchema, reportUnknownHosts } from './hosts.js';

/** What a bundle schema needs to know besides the file's text. */
export interface BundleContext {
  id: string;
  file: string;
  configDir: string;
  /** For `~` in directories; defaults to the user's home directory. */
  home?: string;
}

const groupSchema = patternSchema(
  /^[a-z0-9_-]{1,64}$/,
  'group name',
  'group names are 1 to 64 lower-case letters, digits, _ and -',
);

const sessionSchema = z
  .strictObject({
    id: sessionIdSchema,
    name: optionalTextSchema,
    description: optionalTextSchema,
    directory: requiredTextSchema,
    coder: optionalTextSchema,
    'coder-session-id': optionalTextSchema,
    policy: optionalTextSchema,
    worktree: z.boolean().optional(),
    base: optionalTextSchema,
    supervise: z.array(z.union([z.literal('*'), sessionIdSchema])).optional(),
    host: hostIdSchema.optional(),
  })
  .superRefine((session, context) => {
    if (session['coder-session-id'] !== undefined && session.coder === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['coder-session-id'],
        message: 'needs a coder to resume',
        params: { hint: 'add `coder = "<id>"` or remove coder-session-id' },
      });
    }
    if (session.directory.startsWith('~') && !/^~(\/|$)/.test(session.directory)) {
      context.addIssue({
        code: 'custom',
        path: ['directory'],
        message: `cannot expand "${session.directory}"`,
        params: { hint: 'only ~ and ~/… (your own home) are expanded; write the path out' },
      });
    }
  });

/** Parses one bundle file into a BundleConfig, resolving session directories. */
export function bundleFileSchema(context: BundleContext) {
  return z
    .strictObject({
      'format-version': formatVersionSchema,
      description: optionalTextSchema,
      primer: optionalTextSchema,
      autostart: z.boolean().default(false),
      groups: z.array(groupSchema).default([]),
      worktree: z.boolean().default(false),
      base: optionalTextSchema,
      'worktree-root': optionalTextSchema,
      'worktree-include': z.array(requiredTextSchema).optional(),
      hosts: z
        .array(hostSchema)
        .superRefine((entries, refinement) => reportDuplicates(entries, 'id', refinement))
        .default([]),
      sessions: z
        .array(sessionSchema)
        .superRefine(
          (entries, refinement) => {
            reportDuplicates(entries, 'id', refinement);
            reportDuplicates(entries, 'name', refinement);
            reportUnknownSupervised(entries, refinement);
          },
          { when: () => true },
        )
        .default([]),
    })
    .superRefine((file, refinement) => reportUnknownHosts(file.hosts, file.sessions, refinement))
    .transform((file): BundleConfig => ({
      id: context.id,
      file: context.file,
      autostart: file.autostart,
      groups: [...new Set(file.groups)],
      description: file.description,
      ...(file.primer === undefined ? {} : { primer: file.primer }),
      sessions: file.sessions.map((session) =>
        toSession(session, context, { worktree: file.worktree, base: file.base }),
      ),
      worktreeRoot:
        file['worktree-root'] === undefined
          ? undefined
          : resolveSessionDirectory(file['worktree-root'], context.configDir, context.home),
      worktreeInclude: file['worktree-include'],
      ...(file.hosts.length === 0 ? {} : { hosts: file.hosts }),
    }));
}

/** Expands `~` and resolves a relative directory against the config directory. */
export function resolveSessionDirectory(directory: string, configDir: string, home: string = homedir()): string {
  if (directory === '~') return resolve(home);
  if (directory.startsWith('~/')) return resolve(join(home, directory.slice(2)));
  return isAbsolute(directory) ? resolve(directory) : resolve(configDir, directory);
}

/** Untracked set-up files copied into a new worktree when `worktree-include` is not set. */
export const DEFAULT_WORKTREE_INCLUDE = [
  '.env',
  '.env.local',
  '.claude/settings.local.json',
  '.mcp.json',
  '.gemini/settings.json',
  'node_modules',
] as const;

function toSession(
  session: z.output<typeof sessionSchema>,
  context: BundleContext,
  bundle: { worktree: boolean; base: string | undefined },
): AgentSessionConfig {
  return {
    id: session.id,
    name: session.name,
    description: session.description,
    directory: resolveSessionDirectory(session.directory, context.configDir, context.home),
    coder: session.coder,
    coderSessionId: session['coder-session-id'],
    policy: session.policy,
    // Only `true` is carried: a session without a worktree looks as it did before the key existed.
    worktree: (session.worktree ?? bundle.worktree) || undefined,
    base: session.base ?? bundle.base,
    ...(session.supervise === undefined ? {} : { supervise: [...new Set(session.supervise)] }),
    ...(session.host === undefined ? {} : { host: session.host }),
  };
}

/** `supervise` names sessions of this bundle (or `"*"`). */
function reportUnknownSupervised(
  entries: readonly { id: string; supervise?: readonly string[] | undefined }[],
  refinement: z.RefinementCtx,
): void {
  const ids = new Set(entries.map((entry) => entry.id));
  entries.forEach((entry, index) => {
    entry.supervise?.forEach((target, position) => {
      if (target === '*' || (ids.has(target) && target !== entry.id)) return;
      refinement.addIssue({
        code: 'custom',
        path: [index, 'supervise', position],
        message: target === entry.id ? 'a session cannot supervise itself' : `unknown session "${target}"`,
        params: { hint: 'list sessions of this bundle, or "*" for every other agent' },
      });
    });
  });
}
