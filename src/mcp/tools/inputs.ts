// Input pieces shared by the tools, matching the relay protocol's limits so a bad argument is
// refused before it reaches the relay.
import { z } from 'zod';

/** A session id as the protocol accepts it (the relay checks membership). */
export const SessionId = z.string().min(1).max(64).describe('A session id of your bundle');

/** A message id (a ULID) or thread id. */
export const MessageId = z.string().min(1).max(64).describe('A message id');

/** One value or a non-empty list of at most `max`, so agents can pass "bob" or ["bob", "carol"]. */
export function oneOrMany<T extends z.ZodType>(item: T, max: number) {
  return z.union([item, z.array(item).min(1).max(max)]);
}
