// The real RelaySource: the client library's openRelay, which also auto-starts the relay.
import { openRelay, type OpenRelayOptions, type RelayClient } from '../../client/index.js';
import { AgentmuxError } from '../../core/errors.js';
import { isMethodName } from '../../core/protocol/index.js';
import type { RelayConnection, RelaySource } from './connection.js';

/**
 * A source that opens (and, when allowed, starts) the bundle's relay on every connect. The first
 * connect uses `early` when given: a connection opened while the UI modules were still loading.
 */
export function clientSource(options: OpenRelayOptions, early?: Promise<RelayClient>): RelaySource {
  let first = early;
  return {
    connect: async () => {
      const pending = first;
      first = undefined;
      return adaptClient(await (pending ?? openRelay(options)));
    },
  };
}

/** Wraps a hello'd RelayClient as a RelayConnection. */
export function adaptClient(client: RelayClient): RelayConnection {
  return {
    relayPid: client.hello.relay.pid,
    request: (method, params, options) => client.request(method, params, options),
    requestOptional: (method, params) => {
      // The client validates answers against METHODS; a method it does not know cannot be sent.
      if (!isMethodName(method)) {
        return Promise.reject(
          new AgentmuxError('validation_unknown_method', `this agentmux build does not know ${method}`),
        );
      }
      return client.request(method, params);
    },
    onNotification: (handler) => client.onAny(handler),
    onClose: (handler) => client.onClose(handler),
    close: () => client.close(),
  };
}
