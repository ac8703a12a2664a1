// JSON-RPC 2.0 frames as zod schemas: the shape of every line on the relay socket.
import { z } from 'zod';

/** Request ids are numbers or short strings. */
export const RequestIdSchema = z.union([z.number().int(), z.string().max(128)]);
export type RequestId = z.infer<typeof RequestIdSchema>;

/** A request (has `id`) or a notification (no `id`) sent to the relay or to a client. */
export const RequestFrameSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: RequestIdSchema.optional(),
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export type RequestFrame = z.infer<typeof RequestFrameSchema>;

/** `error.data` carries our stable code; `code` is the JSON-RPC numeric class. */
export const ErrorDataSchema = z.looseObject({
  code: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  hint: z.string().optional(),
});
export type ErrorData = z.infer<typeof ErrorDataSchema>;

export const ErrorObjectSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  data: ErrorDataSchema.optional(),
});

/** A response: exactly one of `result` or `error`. */
export const ResponseFrameSchema = z.union([
  z.object({ jsonrpc: z.literal('2.0'), id: RequestIdSchema.nullable(), result: z.unknown() }),
  z.object({ jsonrpc: z.literal('2.0'), id: RequestIdSchema.nullable(), error: ErrorObjectSchema }),
]);
export type ResponseFrame = z.infer<typeof ResponseFrameSchema>;

/** JSON-RPC numeric error classes. */
export const JSONRPC_PARSE_ERROR = -32700;
export const JSONRPC_INVALID_REQUEST = -32600;
export const JSONRPC_METHOD_NOT_FOUND = -32601;
export const JSONRPC_INVALID_PARAMS = -32602;
export const JSONRPC_INTERNAL_ERROR = -32603;
export const JSONRPC_APPLICATION_ERROR = -32000;

/** The numeric JSON-RPC class for one of our codes. */
export function jsonRpcClassFor(code: string): number {
  if (code === 'validation_invalid_frame') return JSONRPC_PARSE_ERROR;
  if (code === 'validation_unknown_method') return JSONRPC_METHOD_NOT_FOUND;
  if (code === 'internal_unexpected_failure') return JSONRPC_INTERNAL_ERROR;
  if (code.startsWith('validation_')) return JSONRPC_INVALID_PARAMS;
  return JSONRPC_APPLICATION_ERROR;
}
