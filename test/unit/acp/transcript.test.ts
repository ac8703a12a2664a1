// What `look` shows for an ACP session.
import { describe, expect, it } from 'vitest';
import { Transcript } from '../../../src/transports/acp/transcript.js';

const chunk = (sessionUpdate: 'agent_message_chunk' | 'agent_thought_chunk' | 'user_message_chunk', text: string) =>
  ({ sessionUpdate, content: { type: 'text', text } }) as const;

describe('Transcript', () => {
  it('coalesces chunks, merges tool calls by id and renders plans', () => {
    const t = new Transcript();
    t.prompt('line one\nline two');
    t.update(chunk('agent_thought_chunk', 'thinking '));
    t.update(chunk('agent_thought_chunk', 'hard'));
    t.update({ sessionUpdate: 'tool_call', toolCallId: 'c1', title: 'Read a.txt', kind: 'read', status: 'pending' });
    t.update(chunk('agent_message_chunk', 'Hel'));
    t.update(chunk('agent_message_chunk', 'lo\nworld'));
    t.update({ sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'completed' });
    t.update({ sessionUpdate: 'tool_call_update', toolCallId: 'orphan', status: 'failed' });
    t.update({
      sessionUpdate: 'plan',
      entries: [
        { content: 'a', priority: 'high', status: 'completed' },
        { content: 'b', priority: 'low', status: 'pending' },
      ],
    });
    t.update({ sessionUpdate: 'available_commands_update', availableCommands: [] });
    t.update({ sessionUpdate: 'agent_message_chunk', content: { type: 'image', data: '', mimeType: 'image/png' } });
    t.note('turn ended: end_turn');
    expect(t.lines(100)).toEqual([
      '> line one',
      '> line two',
      '~ thinking hard',
      '⚙ Read a.txt (read) completed',
      'Hello',
      'world',
      '⚙ orphan (other) failed',
      'plan:',
      '  [x] a',
      '  [ ] b',
      '[image]',
      '# turn ended: end_turn',
    ]);
    expect(t.lines(3)).toEqual(['  [ ] b', '[image]', '# turn ended: end_turn']);
  });

  it('stays bounded: old entries are evicted and long ones keep their end', () => {
    const t = new Transcript(3, 10);
    for (let i = 0; i < 5; i += 1) t.note(`n${i}`);
    expect(t.lines(100)).toEqual(['# n2', '# n3', '# n4']);
    t.update(chunk('agent_message_chunk', 'abcdefghijklmnop'));
    expect(t.lines(1)).toEqual(['…hijklmnop']);
  });
});
