// The configuration agentmux writes for a bundle's private tmux server (DESIGN "Settled
// details" 12): the user's ~/.tmux.conf is never read, their additions come from one file.
import { quoteControlArgument } from './quote.js';

/** What varies between bundles in the generated tmux.conf. */
export interface TmuxConfOptions {
  /** The user's additions (`<config>/tmux.conf`), sourced last and only if it exists. */
  userConf?: string;
  /** A root-table key that detaches the client (e.g. `C-q`), so an attached human can get out. */
  detachKey?: string;
}

/** The user option the relay sets with the bundle's status line; the status bar shows it. */
export const STATUS_OPTION = '@agentmux-status';

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9[\]\\^_+-]{0,31}$/;

/** Renders tmux.conf; throws TypeError for a detach key that is not a plain tmux key name. */
export function renderTmuxConf(options: TmuxConfOptions = {}): string {
  const lines = [
    '# Written by agentmux for the private tmux server of this bundle; rewritten before it starts.',
    '# ~/.tmux.conf is not read. Put your own settings in the file sourced at the end.',
    // Agents and editors in panes must see Escape quickly and get focus events.
    'set -s escape-time 10',
    'set -s focus-events on',
    'set -s exit-empty on',
    // An agent that exits keeps its pane (dead), so the relay can report its status and last lines.
    'set -g remain-on-exit on',
    `set -g ${STATUS_OPTION} ""`,
    `set -g status-right ${quoteControlArgument(`#{${STATUS_OPTION}}`)}`,
    'set -g status-right-length 120',
  ];
  if (options.detachKey !== undefined) {
    if (!KEY_NAME.test(options.detachKey))
      throw new TypeError(`not a tmux key name: ${JSON.stringify(options.detachKey)}`);
    lines.push(`bind-key -n ${quoteControlArgument(options.detachKey)} detach-client`);
    // Whoever attaches (from the dashboard or `agentmux attach`) sees how to get back.
    lines.push(`set -g status-left ${quoteControlArgument(`[#{session_name}] ${options.detachKey}: back `)}`);
    lines.push('set -g status-left-length 40');
  }
  if (options.userConf !== undefined) lines.push(`source-file -q ${quoteControlArgument(options.userConf)}`);
  return `${lines.join('\n')}\n`;
}
