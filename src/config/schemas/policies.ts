// policies.toml: named presets of controls, and which preset applies when a session names none.
import { z } from 'zod';

import { AGENT_DEFAULT_CONTROLS } from '../policy.js';
import type { PoliciesConfig, PolicyControls, PolicyPreset, Scope } from '../types.js';
import {
  formatVersionSchema,
  optionalTextSchema,
  profileIdSchema,
  reportDuplicates,
  requiredTextSchema,
  scopeSchema,
} from './common.js';

const controlsSchema = z.strictObject({
  find: scopeSchema.optional(),
  list: scopeSchema.optional(),
  look: scopeSchema.optional(),
  send: scopeSchema.optional(),
  raww: scopeSchema.optional(),
  lifecycle: scopeSchema.optional(),
  grant: scopeSchema.optional(),
  history: scopeSchema.optional(),
  do: z.record(requiredTextSchema, scopeSchema).optional(),
});

const presetSchema = z.strictObject({
  id: profileIdSchema,
  description: optionalTextSchema,
  controls: controlsSchema.default({}),
});

/** The whole policies.toml. */
export const policiesFileSchema = z
  .strictObject({
    'format-version': formatVersionSchema,
    default: optionalTextSchema,
    policies: z
      .array(presetSchema)
      .superRefine((entries, context) => reportDuplicates(entries, 'id', context), { when: () => true })
      .default([]),
  })
  .superRefine((file, context) => {
    const wanted = file.default;
    if (wanted === undefined || file.policies.some((preset) => preset.id === wanted)) return;
    context.addIssue({
      code: 'custom',
      path: ['default'],
      message: `names no preset: "${wanted}"`,
      params: { hint: `define [[policies]] id = "${wanted}" or pick one of the presets in this file` },
    });
  })
  .transform((file): PoliciesConfig => ({
    defaultId: file.default,
    presets: new Map(file.policies.map((preset) => [preset.id, toPreset(preset)])),
  }));

function toPreset(preset: z.output<typeof presetSchema>): PolicyPreset {
  const { do: actions, ...named } = preset.controls;
  const declared: Partial<PolicyControls> = {};
  for (const [name, scope] of Object.entries(named) as [keyof PolicyControls, Scope | undefined][]) {
    if (scope !== undefined) declared[name] = scope;
  }
  return {
    id: preset.id,
    description: preset.description,
    controls: { ...AGENT_DEFAULT_CONTROLS, ...declared },
    declared,
    actions: new Map(Object.entries(actions ?? {})),
  };
}
