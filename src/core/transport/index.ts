// Framing and the transport contract.
export { NdjsonDecoder, encodeFrame } from './ndjson.js';
export type { DecodedLine } from './ndjson.js';
export { SocketTransport } from './transport.js';
export type { FrameTransport } from './transport.js';
