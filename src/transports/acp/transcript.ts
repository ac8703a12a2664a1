// What `look` shows for an ACP session: its recent conversation as text lines. Streamed
// chunks are coalesced, tool calls are merged by `toolCallId`, plans replace the previous
// plan, and the whole thing is bounded so a chatty agent cannot grow the relay.
import type { ContentBlock, PlanEntry, SessionUpdate } from '@agentclientprotocol/sdk';

/** Entries kept per session (oldest evicted). */
export const TRANSCRIPT_MAX_ENTRIES = 500;
/** Characters kept per entry (the start of a longer one is dropped). */
export const TRANSCRIPT_MAX_ENTRY_CHARS = 16_384;

type TextKind = 'prompt' | 'agent' | 'thought' | 'note';
type Entry =
  | { kind: TextKind; text: string }
  | { kind: 'tool'; id: string; title: string; toolKind: string; status: string }
  | { kind: 'plan'; entries: { content: string; status: string }[] };

/** Update kinds that carry no conversation (menus, usage counters) and would only add noise. */
const QUIET_UPDATES = new Set([
  'available_commands_update',
  'usage_update',
  'config_option_update',
  'session_info_update',
]);

/** Renders one content block as text; non-text blocks become a short marker. */
export function contentText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
      return '[image]';
    case 'audio':
      return '[audio]';
    case 'resource_link':
      return `[link ${block.uri}]`;
    case 'resource':
      return `[resource ${block.resource.uri}]`;
    default:
      return '[content]';
  }
}

/** One session's recent conversation. */
export class Transcript {
  private readonly entries: Entry[] = [];
  private readonly tools = new Map<string, Entry & { kind: 'tool' }>();

  constructor(
    private readonly maxEntries = TRANSCRIPT_MAX_ENTRIES,
    private readonly maxEntryChars = TRANSCRIPT_MAX_ENTRY_CHARS,
  ) {}

  /** A prompt the relay sent (always a new entry). */
  prompt(text: string): void {
    this.push({ kind: 'prompt', text: this.bound(text) });
  }

  /** A line about the worker itself (started, exited, permission answered, turn ended). */
  note(text: string): void {
    this.push({ kind: 'note', text: this.bound(text) });
  }

  /** Records one `session/update` from the agent. */
  update(update: SessionUpdate): void {
    switch (update.sessionUpdate) {
      case 'user_message_chunk':
        this.append('prompt', contentText(update.content));
        return;
      case 'agent_message_chunk':
        this.append('agent', contentText(update.content));
        return;
      case 'agent_thought_chunk':
        this.append('thought', contentText(update.content));
        return;
      case 'tool_call': {
        const entry = {
          kind: 'tool' as const,
          id: update.toolCallId,
          title: update.title,
          toolKind: update.kind ?? 'other',
          status: update.status ?? 'pending',
        };
        this.tools.set(update.toolCallId, entry);
        this.push(entry);
        return;
      }
      case 'tool_call_update': {
        const known = this.tools.get(update.toolCallId);
        if (!known) {
          const entry = {
            kind: 'tool' as const,
            id: update.toolCallId,
            title: update.title ?? update.toolCallId,
            toolKind: update.kind ?? 'other',
            status: update.status ?? 'pending',
          };
          this.tools.set(update.toolCallId, entry);
          this.push(entry);
          return;
        }
        if (update.title) known.title = update.title;
        if (update.kind) known.toolKind = update.kind;
        if (update.status) known.status = update.status;
        return;
      }
      case 'plan':
        this.push({
          kind: 'plan',
          entries: update.entries.map((e: PlanEntry) => ({ content: e.content, status: e.status })),
        });
        return;
      case 'current_mode_update':
        this.note(`mode: ${update.currentModeId}`);
        return;
      default:
        if (!QUIET_UPDATES.has(update.sessionUpdate)) this.note(`update: ${update.sessionUpdate}`);
    }
  }

  /** The last `max` rendered lines, oldest first. */
  lines(max: number): string[] {
    const out: string[] = [];
    for (let index = this.entries.length - 1; index >= 0 && out.length < max; index -= 1) {
      const rendered = render(this.entries[index] as Entry);
      out.unshift(...rendered.slice(Math.max(0, rendered.length - (max - out.length))));
    }
    return out;
  }

  private append(kind: TextKind, text: string): void {
    const last = this.entries.at(-1);
    if (last && last.kind === kind) {
      last.text = this.bound(last.text + text);
      return;
    }
    this.push({ kind, text: this.bound(text) });
  }

  private push(entry: Entry): void {
    this.entries.push(entry);
    while (this.entries.length > this.maxEntries) {
      const evicted = this.entries.shift();
      if (evicted?.kind === 'tool' && this.tools.get(evicted.id) === evicted) this.tools.delete(evicted.id);
    }
  }

  private bound(text: string): string {
    return text.length <= this.maxEntryChars ? text : `…${text.slice(text.length - this.maxEntryChars + 1)}`;
  }
}

const PLAN_MARK: Record<string, string> = { completed: '[x]', in_progress: '[>]', pending: '[ ]' };

function render(entry: Entry): string[] {
  switch (entry.kind) {
    case 'prompt':
      return splitLines(entry.text).map((line) => `> ${line}`);
    case 'agent':
      return splitLines(entry.text);
    case 'thought':
      return splitLines(entry.text).map((line) => `~ ${line}`);
    case 'note':
      return splitLines(entry.text).map((line) => `# ${line}`);
    case 'tool':
      return [`⚙ ${entry.title} (${entry.toolKind}) ${entry.status}`];
    case 'plan':
      return ['plan:', ...entry.entries.map((e) => `  ${PLAN_MARK[e.status] ?? '[?]'} ${e.content}`)];
    default: {
      const unreachable: never = entry;
      return [String(unreachable)];
    }
  }
}

function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}
