// The dashboard's relay link, started before ink and React have loaded (they take hundreds of
// milliseconds to load and compile): the roster and recent history are fetched meanwhile and
// reduced here, so the first frame is drawn from them. Every ink render before the first full
// frame costs tens of milliseconds of still-cold code, so one full render beats several partial ones.
import { initialRelayState, relayReducer, type RelayAction, type RelayState } from '../state/relay-state.js';
import type { RelaySource } from './connection.js';
import { RelayLink, type RelayActions, type RelayLinkOptions } from './relay-link.js';

export interface RelayFeedOptions extends Omit<RelayLinkOptions, 'dispatch'> {
  bundle: string;
  /** The operator session the dashboard speaks as. */
  self: string;
  capacity?: number;
}

/** A started-early RelayLink whose actions are reduced here until the UI takes them over. */
export class RelayFeed {
  readonly actions: RelayActions;
  /**
   * Settles once there is something worth a first frame: the roster and history are loaded,
   * or a connection attempt failed (the dashboard then shows why while it retries).
   */
  readonly ready: Promise<void>;
  private readonly link: RelayLink;
  private state: RelayState;
  private taken = false;
  private queued: RelayAction[] = [];
  private target: ((action: RelayAction) => void) | undefined;
  private markReady: () => void = () => undefined;

  constructor(options: RelayFeedOptions & { source: RelaySource }) {
    const { bundle, self, capacity, ...link } = options;
    this.state = initialRelayState({ bundle, self, ...(capacity === undefined ? {} : { capacity }) });
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    this.link = new RelayLink({ ...link, dispatch: (action) => this.dispatch(action) });
    this.actions = this.link.actions();
  }

  /** Starts connecting (once). */
  start(): void {
    this.link.start();
  }

  /** Stops reconnecting and closes the connection. */
  stop(): void {
    this.link.stop();
  }

  /** The state so far, for the UI's first render; later actions wait for `attach`. */
  snapshot(): RelayState {
    this.taken = true;
    return this.state;
  }

  /** Hands every action after the snapshot, and all later ones, to `dispatch`. */
  attach(dispatch: (action: RelayAction) => void): void {
    this.target = dispatch;
    for (const action of this.queued.splice(0)) dispatch(action);
  }

  private dispatch(action: RelayAction): void {
    if (action.type === 'loaded' || (action.type === 'link' && action.error !== undefined)) this.markReady();
    if (this.target) this.target(action);
    else if (this.taken) this.queued.push(action);
    else this.state = relayReducer(this.state, action);
  }
}
