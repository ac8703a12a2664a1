// What changed between the configuration a relay runs and the one on disk, in words a person
// reads after `agentmux reload` or `up`: `session carol added`, `coder gemini: busy-regex changed`.
import type { Member, Team } from './types.js';

/** One line per change, in roster order; empty when nothing the relay uses changed. */
export function describeTeamChanges(before: Team, after: Team): string[] {
  const changes: string[] = [];
  const old = new Map(before.members.map((member) => [member.id, member]));
  const now = new Map(after.members.map((member) => [member.id, member]));
  for (const member of after.members) {
    const previous = old.get(member.id);
    if (previous === undefined)
      changes.push(`${member.role === 'operator' ? 'operator' : 'session'} ${member.id} added`);
    else {
      const fields = changedFields(memberShape(previous), memberShape(member));
      if (fields.length > 0) changes.push(`session ${member.id}: ${fields.join(', ')} changed`);
    }
  }
  for (const member of before.members) {
    if (!now.has(member.id))
      changes.push(`${member.role === 'operator' ? 'operator' : 'session'} ${member.id} removed`);
  }
  for (const [id, coder] of after.coders) {
    const previous = before.coders.get(id);
    if (previous === undefined) changes.push(`coder ${id} added`);
    else {
      const fields = changedFields(plain(previous), plain(coder));
      if (fields.length > 0) changes.push(`coder ${id}: ${fields.join(', ')} changed`);
    }
  }
  for (const id of before.coders.keys()) if (!after.coders.has(id)) changes.push(`coder ${id} removed`);
  const bundle = changedFields(bundleShape(before), bundleShape(after));
  if (bundle.length > 0) changes.push(`bundle ${after.bundle.id}: ${bundle.join(', ')} changed`);
  return changes;
}

function memberShape(member: Member): Record<string, unknown> {
  return plain({
    name: member.name,
    description: member.description,
    transport: member.transport,
    coder: member.coder?.id,
    session: member.session,
    controls: member.controls,
  });
}

function bundleShape(team: Team): Record<string, unknown> {
  return plain({
    autostart: team.bundle.autostart,
    groups: team.bundle.groups,
    description: team.bundle.description,
    'detach-key': team.tui.detachKey,
  });
}

function changedFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).map(kebab);
}

// JSON-comparable: regexes by their source and flags, maps as objects.
function plain(value: unknown): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(value, (_key, inner: unknown) => {
      if (inner instanceof RegExp) return `/${inner.source}/${inner.flags}`;
      if (inner instanceof Map) return Object.fromEntries(inner) as unknown;
      return inner;
    }),
  ) as Record<string, unknown>;
}

function kebab(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
