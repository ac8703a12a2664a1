// The keys a config schema accepts at a path, so an unknown key can be matched to the one
// most likely meant. Reads zod's schema definitions; anything it cannot follow knows no keys.
import type { z } from 'zod';

import type { KeyPath } from './problems.js';

interface Definition {
  type?: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  in?: z.ZodType;
  innerType?: z.ZodType;
}

/** The keys of the table at `path` inside `schema` (array indexes step into the element). */
export function knownKeysAt(schema: z.ZodType, path: KeyPath): string[] {
  let current: z.ZodType | undefined = schema;
  for (const part of path) {
    current = unwrap(current);
    const def = definition(current);
    if (def?.type === 'array' && typeof part === 'number') current = def.element;
    else if (def?.type === 'object' && typeof part === 'string') current = def.shape?.[part];
    else return [];
  }
  const def = definition(unwrap(current));
  return def?.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : [];
}

// Transforms, defaults and optionals wrap the schema that holds the shape.
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; depth < 10 && current !== undefined; depth += 1) {
    const def = definition(current);
    const inner = def?.type === 'pipe' ? def.in : def?.innerType;
    if (inner === undefined) return current;
    current = inner;
  }
  return current;
}

function definition(schema: z.ZodType | undefined): Definition | undefined {
  return (schema as { _zod?: { def?: Definition } } | undefined)?._zod?.def;
}
