// Public names of the relay client library.
export { DEFAULT_REQUEST_TIMEOUT_MS, RelayClient, decodeError } from './relay-client.js';
export type { ClientIdentity, RelayClientOptions } from './relay-client.js';
export { ensureRelay, openRelay } from './open-relay.js';
export type { OpenRelayOptions } from './open-relay.js';
export type { Checked, ProtocolValidator } from './validator.js';
export { zodValidator } from './zod-validator.js';
