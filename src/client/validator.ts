// How a client checks what the relay sends. The full check parses every result and
// notification with the protocol's zod schemas; a short-lived command may pass a lighter
// validator so it never loads zod (see src/cli/fast-path.ts).

/** Outcome of checking one incoming value. */
export type Checked = { ok: true; value: unknown } | { ok: false };

/** Checks results (by method) and notifications (by name) arriving from the relay. */
export interface ProtocolValidator {
  result(method: string, value: unknown): Checked;
  notification(method: string, value: unknown): Checked;
}
