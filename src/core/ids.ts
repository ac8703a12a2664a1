// Identifier rules and the monotonic ULID factory used for message ids.
import { monotonicFactory } from 'ulid';

/** Session ids: a letter, then letters, digits, `_` or `-`, at most 31 characters. */
export const SESSION_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;
/** Bundle ids: the file stem of bundles/<id>.toml. */
export const BUNDLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Message ids are ULIDs (26 Crockford base32 characters). */
export const MESSAGE_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `id` is a valid session id. */
export function isSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id);
}

/** True when `id` is a valid bundle id. */
export function isBundleId(id: string): boolean {
  return BUNDLE_ID_PATTERN.test(id);
}

/** A source of ids that sort in creation order even within one millisecond. */
export interface IdFactory {
  next(): string;
}

/** Fills a byte array with cryptographically strong random bytes. */
export type RandomFill = (bytes: Uint8Array) => void;

const RANDOM_POOL_BYTES = 4096;

/**
 * A ULID PRNG (a number in [0, 1) per call) that takes its bytes from a pool refilled
 * RANDOM_POOL_BYTES at a time. ulid's own PRNG asks the crypto source for one byte per
 * character, 16 calls per id: that was a visible share of the relay's CPU per `send`.
 */
export function pooledRandom(fill: RandomFill = (bytes) => globalThis.crypto.getRandomValues(bytes)): () => number {
  const pool = new Uint8Array(RANDOM_POOL_BYTES);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      fill(pool);
      next = 0;
    }
    return (pool[next++] as number) / 256;
  };
}

/** Monotonic ULIDs: later calls always sort after earlier ones in the same process. */
export function createUlidFactory(now: () => number = Date.now, fill?: RandomFill): IdFactory {
  const factory = monotonicFactory(pooledRandom(fill));
  return { next: () => factory(now()) };
}
