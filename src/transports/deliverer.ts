// The contract between the relay's router and the transports that reach a session without
// a listening socket client (tmux panes, ACP workers).
import type { DeliveryFailureReason } from '../core/errors.js';
import type { DeliveryState, Message } from '../core/protocol/index.js';

/** How one delivery attempt ended. `queued` puts the message back to be tried again later. */
export interface DeliveryOutcome {
  state: 'delivered' | 'failed' | 'queued';
  reason?: DeliveryFailureReason;
}

/** Reaches a recipient by typing into its pane or prompting its worker. */
export interface Deliverer {
  /** True when this deliverer is responsible for the recipient right now. */
  handles(recipient: string): boolean;
  /**
   * Delivers one message, reporting intermediate states (`typing`, `submitted`,
   * `delivering`) through `progress`. Must settle; `signal` aborts at shutdown.
   */
  deliver(
    recipient: string,
    message: Message,
    progress: (state: DeliveryState) => void,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome>;
  /**
   * Settles a delivery a previous relay left half done (`typing`/`submitted`): decides from
   * what the recipient shows whether it arrived. Never types the message again.
   */
  recover?(recipient: string, message: Message): Promise<DeliveryOutcome>;
}
