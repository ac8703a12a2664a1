// tui.toml: the human operators (members of every bundle) and the dashboard's defaults.
import { z } from 'zod';

import type { TuiConfig } from '../types.js';
import { bundleIdSchema, optionalTextSchema, patternSchema, reportDuplicates, sessionIdSchema } from './common.js';

/** The default key that detaches from an agent's pane back to the dashboard. */
export const DEFAULT_DETACH_KEY = 'C-q';

// The key lands in a generated tmux.conf, so only plain tmux key names pass.
const DETACH_KEY_PATTERN = /^(?:[CMS]-){0,3}(?:[A-Za-z0-9]+|[\][\\^_@/.,=+-])$/;

const operatorSchema = z.strictObject({
  id: sessionIdSchema,
  name: optionalTextSchema,
  policy: optionalTextSchema,
});

/** The whole tui.toml; `format-version` is optional here. */
export const tuiFileSchema = z
  .strictObject({
    'format-version': z.literal(1, { error: 'must be 1' }).optional(),
    'default-bundle': bundleIdSchema.optional(),
    'default-session': optionalTextSchema,
    'detach-key': patternSchema(
      DETACH_KEY_PATTERN,
      'tmux key name',
      'write a key as tmux does, such as C-q, M-x or F12',
    ).default(DEFAULT_DETACH_KEY),
    sessions: z
      .array(operatorSchema)
      .superRefine((entries, context) => reportDuplicates(entries, 'id', context), { when: () => true })
      .default([]),
  })
  .superRefine((file, context) => {
    const wanted = file['default-session'];
    if (wanted === undefined || file.sessions.some((operator) => operator.id === wanted)) return;
    context.addIssue({
      code: 'custom',
      path: ['default-session'],
      message: `names no operator session: "${wanted}"`,
      params: { hint: `add [[sessions]] id = "${wanted}" to tui.toml, or name one of its sessions` },
    });
  })
  .transform((file): TuiConfig => ({
    defaultBundle: file['default-bundle'],
    defaultSession: file['default-session'],
    detachKey: file['detach-key'],
    operators: file.sessions.map((operator) => ({ id: operator.id, name: operator.name, policy: operator.policy })),
  }));

/** What a missing tui.toml means: no operators and the default detach key. */
export function emptyTuiConfig(): TuiConfig {
  return { detachKey: DEFAULT_DETACH_KEY, operators: [] };
}
