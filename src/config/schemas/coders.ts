// coders.toml: launch profiles for agent programs, each either `[coders.tmux]` or `[coders.acp]`.
import { z } from 'zod';

import type { AcpCoder, Coder, TmuxCoder } from '../types.js';
import {
  environmentSchema,
  formatVersionSchema,
  nonNegativeIntSchema,
  optionalTextSchema,
  positiveIntSchema,
  profileIdSchema,
  reportDuplicates,
  requiredTextSchema,
  ruleRegexSchema,
} from './common.js';

/** Defaults of `[coders.tmux]` keys; the starter file's comments quote them too. */
export const TMUX_DEFAULTS = {
  promptInspectLines: 3,
  quietWindowMs: 750,
  submitDelayMs: 150,
  submitRetries: 2,
  paste: true,
  attemptTimeoutMs: 10_000,
  hookStaleMs: 30_000,
  detector: 'generic',
} as const;

/** Defaults of `[coders.acp]` keys. */
export const ACP_DEFAULTS = {
  channel: 'stdio',
  turnTimeoutMs: 600_000,
  permissionTimeoutMs: 300_000,
  permissionDefault: 'reject',
} as const;

/** The one placeholder a resume-command may use. */
export const CODER_SESSION_PLACEHOLDER = '{coder-session-id}';

const PLACEHOLDER = /\{[a-z][a-z0-9-]*\}/g;

const tmuxSchema = z
  .strictObject({
    'initial-command': requiredTextSchema,
    'resume-command': optionalTextSchema,
    'prompt-regex': ruleRegexSchema,
    'prompt-inspect-lines': z.number().int().min(1).max(40).default(TMUX_DEFAULTS.promptInspectLines),
    'prompt-idle-column': nonNegativeIntSchema.optional(),
    'quiet-window-ms': nonNegativeIntSchema.default(TMUX_DEFAULTS.quietWindowMs),
    'busy-regex': ruleRegexSchema,
    'waiting-regex': ruleRegexSchema,
    'empty-composer-regex': ruleRegexSchema,
    'submit-delay-ms': nonNegativeIntSchema.default(TMUX_DEFAULTS.submitDelayMs),
    'submit-retries': nonNegativeIntSchema.default(TMUX_DEFAULTS.submitRetries),
    'clear-keys': z.array(requiredTextSchema).optional(),
    'newline-keys': z.array(requiredTextSchema).optional(),
    paste: z.boolean().default(TMUX_DEFAULTS.paste),
    'delivery-timeout-ms': positiveIntSchema.optional(),
    'attempt-timeout-ms': positiveIntSchema.default(TMUX_DEFAULTS.attemptTimeoutMs),
    'hook-stale-ms': positiveIntSchema.default(TMUX_DEFAULTS.hookStaleMs),
    detector: z.enum(['generic', 'claude', 'codex', 'gemini']).default(TMUX_DEFAULTS.detector),
    environment: environmentSchema,
    hooks: z.enum(['claude', 'codex', 'gemini']).optional(),
  })
  .superRefine(
    (tmux, context) => {
      const resume: unknown = tmux['resume-command'];
      if (typeof resume !== 'string') return;
      for (const placeholder of resume.match(PLACEHOLDER) ?? []) {
        if (placeholder === CODER_SESSION_PLACEHOLDER) continue;
        context.addIssue({
          code: 'custom',
          path: ['resume-command'],
          message: `unknown placeholder ${placeholder}`,
          params: { hint: `the only placeholder is ${CODER_SESSION_PLACEHOLDER}` },
        });
      }
    },
    { when: () => true },
  );

const acpSchema = z.strictObject({
  channel: z.literal('stdio').default(ACP_DEFAULTS.channel),
  command: requiredTextSchema,
  environment: environmentSchema,
  'turn-timeout-ms': positiveIntSchema.default(ACP_DEFAULTS.turnTimeoutMs),
  'permission-timeout-ms': positiveIntSchema.default(ACP_DEFAULTS.permissionTimeoutMs),
  'permission-default': z.enum(['reject', 'allow']).default(ACP_DEFAULTS.permissionDefault),
});

/** One `[[coders]]` entry. */
export const coderEntrySchema = z
  .strictObject({
    id: profileIdSchema,
    description: optionalTextSchema,
    /** Added to the team primer of every agent that runs this coder. */
    primer: optionalTextSchema,
    tmux: tmuxSchema.optional(),
    acp: acpSchema.optional(),
  })
  .superRefine(
    (entry, context) => {
      const hasTmux = entry.tmux !== undefined;
      const hasAcp = entry.acp !== undefined;
      if (hasTmux === hasAcp) {
        context.addIssue({
          code: 'custom',
          message: hasTmux ? 'has both [coders.tmux] and [coders.acp]' : 'needs a [coders.tmux] or [coders.acp] table',
          params: { hint: 'a coder runs either in a tmux pane or as an ACP agent; give exactly one of the two' },
        });
      }
    },
    { when: () => true },
  );

/** What a preset or a hand-written `[[coders]]` entry looks like before parsing. */
export type CoderEntryInput = z.input<typeof coderEntrySchema>;

/** The whole coders.toml, resolved to coders by id. */
export const codersFileSchema = z
  .strictObject({
    'format-version': formatVersionSchema,
    coders: z
      .array(coderEntrySchema)
      .superRefine((entries, context) => reportDuplicates(entries, 'id', context), { when: () => true })
      .default([]),
  })
  .transform((file) => new Map<string, Coder>(file.coders.map((entry) => [entry.id, toCoder(entry)])));

type CoderEntry = z.output<typeof coderEntrySchema>;

function toCoder(entry: CoderEntry): Coder {
  const primer = entry.primer === undefined ? {} : { primer: entry.primer };
  if (entry.tmux !== undefined) return { ...toTmuxCoder(entry.id, entry.description, entry.tmux), ...primer };
  if (entry.acp !== undefined) return { ...toAcpCoder(entry.id, entry.description, entry.acp), ...primer };
  // Unreachable: the entry refinement requires exactly one table.
  throw new Error(`coder ${entry.id} has no kind`);
}

function toTmuxCoder(id: string, description: string | undefined, tmux: z.output<typeof tmuxSchema>): TmuxCoder {
  return {
    kind: 'tmux',
    id,
    description,
    initialCommand: tmux['initial-command'],
    resumeCommand: tmux['resume-command'],
    promptRegex: tmux['prompt-regex'],
    promptInspectLines: tmux['prompt-inspect-lines'],
    promptIdleColumn: tmux['prompt-idle-column'],
    quietWindowMs: tmux['quiet-window-ms'],
    busyRegex: tmux['busy-regex'],
    waitingRegex: tmux['waiting-regex'],
    emptyComposerRegex: tmux['empty-composer-regex'],
    submitDelayMs: tmux['submit-delay-ms'],
    submitRetries: tmux['submit-retries'],
    clearKeys: tmux['clear-keys'],
    newlineKeys: tmux['newline-keys'],
    paste: tmux.paste,
    deliveryTimeoutMs: tmux['delivery-timeout-ms'],
    attemptTimeoutMs: tmux['attempt-timeout-ms'],
    hookStaleMs: tmux['hook-stale-ms'],
    detector: tmux.detector,
    environment: tmux.environment,
    hooks: tmux.hooks,
  };
}

function toAcpCoder(id: string, description: string | undefined, acp: z.output<typeof acpSchema>): AcpCoder {
  return {
    kind: 'acp',
    id,
    description,
    channel: acp.channel,
    command: acp.command,
    environment: acp.environment,
    turnTimeoutMs: acp['turn-timeout-ms'],
    permissionTimeoutMs: acp['permission-timeout-ms'],
    permissionDefault: acp['permission-default'],
  };
}
