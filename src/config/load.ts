// Loaders for each config file: the parsed value, or the file's first error thrown as
// validation_invalid_config naming the file, key and line.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { closestName } from '../core/closest-name.js';
import { AgentmuxError } from '../core/errors.js';
import { isBundleId } from '../core/ids.js';
import { throwFirstError } from './problems.js';
import { bundleFileSchema } from './schemas/bundle.js';
import { codersFileSchema } from './schemas/coders.js';
import { policiesFileSchema } from './schemas/policies.js';
import { emptyTuiConfig, tuiFileSchema } from './schemas/tui.js';
import { readConfigFile } from './toml-file.js';
import type { ParsedFile } from './toml-file.js';
import type { BundleConfig, Coder, PoliciesConfig, TuiConfig } from './types.js';

/** The files under a config root. */
export const CONFIG_FILES = {
  coders: 'coders.toml',
  policies: 'policies.toml',
  tui: 'tui.toml',
  bundles: 'bundles',
} as const;

/** Path of coders.toml, policies.toml or tui.toml under `configDir`. */
export function configFile(configDir: string, name: 'coders' | 'policies' | 'tui'): string {
  return join(configDir, CONFIG_FILES[name]);
}

/** Path of bundles/<id>.toml under `configDir`. */
export function bundleFile(configDir: string, bundleId: string): string {
  return join(configDir, CONFIG_FILES.bundles, `${bundleId}.toml`);
}

/** Reads coders.toml and returns every coder by id; a missing file has none. */
export function loadCoders(configDir: string): Map<string, Coder> {
  return valueOf(readConfigFile(configFile(configDir, 'coders'), codersFileSchema)) ?? new Map<string, Coder>();
}

/** Reads policies.toml; a missing file means built-in defaults only. */
export function loadPolicies(configDir: string): PoliciesConfig {
  return valueOf(readConfigFile(configFile(configDir, 'policies'), policiesFileSchema)) ?? { presets: new Map() };
}

/** Reads tui.toml; a missing file means no operators. */
export function loadTui(configDir: string): TuiConfig {
  return valueOf(readConfigFile(configFile(configDir, 'tui'), tuiFileSchema)) ?? emptyTuiConfig();
}

/** Sorted ids of the bundle files (stems that are not valid bundle ids are left to `check`). */
export function listBundleIds(configDir: string): string[] {
  return listBundleStems(configDir).filter(isBundleId);
}

/** Every `*.toml` stem under bundles/, valid id or not, sorted; no directory means none. */
export function listBundleStems(configDir: string): string[] {
  const directory = join(configDir, CONFIG_FILES.bundles);
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return [];
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentmuxError('validation_invalid_config', `${directory}: cannot read: ${reason}`, {
      details: { file: directory },
      hint: 'bundles/ must be a readable directory of <bundle>.toml files',
      cause: error,
    });
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.toml'))
    .map((entry) => entry.name.slice(0, -'.toml'.length))
    .filter((stem) => stem !== '')
    .sort();
}

/** Reads bundles/<id>.toml; an invalid id or a missing file throws validation_unknown_bundle. */
export function loadBundle(configDir: string, bundleId: string): BundleConfig {
  const bundle = valueOf(readBundle(configDir, bundleId));
  if (bundle === undefined) throw new Error(`unreachable: bundle ${bundleId} parsed without value or problems`);
  return bundle;
}

/** Reads and validates bundles/<id>.toml, collecting its problems; an unknown bundle throws as loadBundle. */
export function readBundle(configDir: string, bundleId: string): ParsedFile<BundleConfig> {
  const file = bundleFile(configDir, bundleId);
  if (!isBundleId(bundleId)) {
    throw new AgentmuxError('validation_unknown_bundle', `"${bundleId}" is not a valid bundle id`, {
      details: { bundle: bundleId },
      hint: 'bundle ids start with a letter or digit, then letters, digits, ., _ or -',
    });
  }
  const parsed = readConfigFile(file, bundleFileSchema({ id: bundleId, file, configDir }));
  if (parsed.missing) throw unknownBundleError(configDir, bundleId, file);
  return parsed;
}

/** validation_unknown_bundle for a bundle without a file, suggesting the closest known name. */
export function unknownBundleError(configDir: string, bundleId: string, file = bundleFile(configDir, bundleId)) {
  const known = listBundleIds(configDir);
  const meant = closestName(bundleId, known);
  const names = known.map((id) => `"${id}"`).join(', ');
  const hint =
    meant !== undefined
      ? `did you mean "${meant}"? (--bundle ${meant})`
      : known.length > 0
        ? `known bundles: ${names}; pass --bundle with one of them`
        : `there are no bundles yet: create ${file}`;
  return new AgentmuxError('validation_unknown_bundle', `unknown bundle "${bundleId}": ${file} does not exist`, {
    details: { bundle: bundleId, file, known, ...(meant === undefined ? {} : { suggestion: meant }) },
    hint,
  });
}

function valueOf<T>(parsed: ParsedFile<T>): T | undefined {
  throwFirstError(parsed.problems);
  return parsed.value;
}
