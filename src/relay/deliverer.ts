// How the router hands messages to clients that listen on the socket.
import type { DeliveryState, Message } from '../core/protocol/index.js';

/** Takes delivery for one session over the socket (TUI, watch, SDK clients). */
export interface SocketSubscriber {
  readonly id: number;
  /** Pushes `message.received`; the client acks with `inbox.ack`. */
  push(message: Message, state: DeliveryState, readAt: string | null): void;
}
