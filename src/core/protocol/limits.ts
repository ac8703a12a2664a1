// Size limits shared by every surface, so the CLI, MCP and relay reject the same things.

/** Protocol version spoken in `hello`. */
export const PROTOCOL_VERSION = 1;
/** Longest accepted NDJSON frame, in bytes (excluding the newline). */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Longest accepted message body, in UTF-8 bytes. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Longest subject, in characters. */
export const MAX_SUBJECT_CHARS = 512;
/** Most recipients of one message. */
export const MAX_RECIPIENTS = 256;
/** Longest `wait_ms` a send may ask for. */
export const MAX_WAIT_MS = 600_000;
/** How much of a bad frame may be quoted in logs. */
export const MAX_LOGGED_FRAME_BYTES = 512;
