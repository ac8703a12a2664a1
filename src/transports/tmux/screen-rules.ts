// A tmux coder's screen rules as the readiness detectors take them, and the marker the
// agents' prompt hooks carry back to confirm a submission.
import type { TmuxCoder } from '../../config/index.js';
import type { ScreenRules } from '../readiness/index.js';

/** The detector rules of a coder (only the rules it sets). */
export function screenRulesOf(coder: TmuxCoder): ScreenRules {
  return {
    promptInspectLines: coder.promptInspectLines,
    ...(coder.promptRegex ? { promptRegex: coder.promptRegex } : {}),
    ...(coder.promptIdleColumn === undefined ? {} : { promptIdleColumn: coder.promptIdleColumn }),
    ...(coder.busyRegex ? { busyRegex: coder.busyRegex } : {}),
    ...(coder.waitingRegex ? { waitingRegex: coder.waitingRegex } : {}),
    ...(coder.emptyComposerRegex ? { emptyComposerRegex: coder.emptyComposerRegex } : {}),
  };
}

const MARKER = /--agentmux-([0-9A-HJKMNP-TV-Z]{26}\.[0-9a-f]+)/g;

/** The envelope nonce of each recent delivery, by recipient and message id (bounded), for its recovery. */
export class EnvelopeNonces {
  private readonly nonces = new Map<string, string>();

  constructor(private readonly limit = 1000) {}

  // Per recipient: each copy of a message to several agents has a nonce of its own.
  remember(recipient: string, messageId: string, nonce: string): void {
    const key = `${recipient}\u0000${messageId}`;
    this.nonces.delete(key);
    this.nonces.set(key, nonce);
    if (this.nonces.size > this.limit) this.nonces.delete(this.nonces.keys().next().value as string);
  }

  of(recipient: string, messageId: string): string | undefined {
    return this.nonces.get(`${recipient}\u0000${messageId}`);
  }
}

/**
 * Envelope deliveries (`<message id>.<nonce>`) an agent's prompt hook reported as submitted
 * (bounded). The nonce is drawn per delivery, so a body quoting another message's fence can
 * never confirm that delivery.
 */
export class HookConfirmations {
  private readonly ids = new Set<string>();

  constructor(private readonly limit = 1000) {}

  /** Records every envelope marker in a submitted prompt. */
  notePrompt(prompt: string): void {
    for (const match of prompt.matchAll(MARKER)) {
      if (match[1] === undefined) continue;
      this.ids.add(match[1]);
      if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value as string);
    }
  }

  /** True once a prompt carrying the fence of this delivery (`<message id>.<nonce>`) was reported. */
  has(delivery: string): boolean {
    return this.ids.has(delivery);
  }
}
