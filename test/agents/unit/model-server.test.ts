// The loopback model server: each API's request parsing, reply shapes, the TOOL trigger (only
// without a tool result), the delay, and the log of the newest user text.
import { afterEach, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/model-server.js';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = async (path: string, body: object): Promise<{ status: number; text: string }> => {
  const res = await fetch(`${server?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
};
const sseData = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);

describe('loopback model server', () => {
  it('answers Anthropic Messages with SSE, and HEAD /', async () => {
    server = await startModelServer();
    expect((await fetch(server.url, { method: 'HEAD' })).status).toBe(200);
    const reminder = { type: 'text', text: '<system-reminder>ignore me</system-reminder>' };
    const { status, text } = await post('/v1/messages?beta=true', {
      model: 'm',
      stream: true,
      tools: [{ name: 'Bash' }],
      messages: [
        { role: 'user', content: 'old prompt' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [reminder, { type: 'text', text: 'hello\nsecond line' }] },
      ],
    });
    expect(status).toBe(200);
    const events = sseData(text).map((e) => e.type);
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(text).toContain('MOCK-REPLY: hello');
    expect(server.requests).toMatchObject([
      { api: 'anthropic', text: 'hello\nsecond line', main: true, toolResult: false },
    ]);
  });

  it('calls a tool for TOOL only until a tool result arrives', async () => {
    server = await startModelServer();
    const first = await post('/v1/messages', {
      stream: true,
      tools: [{}],
      messages: [{ role: 'user', content: 'please run TOOL now' }],
    });
    expect(first.text).toContain('"tool_use"');
    expect(first.text).toContain('"stop_reason":"tool_use"');
    const second = await post('/v1/messages', {
      stream: true,
      tools: [{}],
      messages: [
        { role: 'user', content: 'please run TOOL now' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Bash', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: '' }] },
      ],
    });
    expect(second.text).toContain('"end_turn"');
    expect(server.requests.map((r) => [r.toolCall, r.toolResult])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(server.prompts('TOOL')).toHaveLength(1);
  });

  it('answers OpenAI Responses, with exec_command for TOOL', async () => {
    server = await startModelServer();
    const input = [
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: '<environment_context>x</environment_context>' }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'do TOOL' }] },
    ];
    const { text } = await post('/v1/responses', { model: 'mock-model', stream: true, tools: [{}], input });
    const types = sseData(text).map((e) => e.type);
    expect(types).toEqual([
      'response.created',
      'response.output_item.added',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(text).toContain('"name":"exec_command"');
    expect(text).toContain('require_escalated');
    const done = await post('/v1/responses', {
      stream: true,
      tools: [{}],
      input: [...input, { type: 'function_call_output', call_id: 'c', output: 'ok' }],
    });
    expect(done.text).toContain('response.output_text.delta');
    expect(server.requests.map((r) => r.text)).toEqual(['do TOOL', 'do TOOL']);
  });

  it('answers Chat Completions as chunks ending in [DONE]', async () => {
    server = await startModelServer();
    const { text } = await post('/v1/chat/completions', {
      stream: true,
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: [{ type: 'text', text: 'hi chat' }] },
      ],
    });
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect(sseData(text)[0]).toMatchObject({ choices: [{ delta: { content: 'MOCK-REPLY: hi chat' } }] });
    expect(server.requests[0]).toMatchObject({ api: 'chat', text: 'hi chat', main: false });
  });

  it('answers Gemini streamed and side requests', async () => {
    server = await startModelServer();
    const contents = [{ role: 'user', parts: [{ text: 'gem TOOL' }] }];
    const streamed = await post('/v1beta/models/x:streamGenerateContent?alt=sse', { contents });
    expect(sseData(streamed.text)[0]).toMatchObject({
      candidates: [{ content: { parts: [{ functionCall: { name: 'run_shell_command' } }] } }],
    });
    const side = await post('/v1beta/models/x:generateContent', { contents });
    expect(JSON.parse(side.text)).toMatchObject({ candidates: [{ finishReason: 'STOP' }] });
    expect(server.requests.map((r) => [r.main, r.toolCall])).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  it('asks a teammate through agentmux for ASK-PEER, and sees the answer as the tool output', async () => {
    server = await startModelServer();
    const ask = await post('/v1/messages', {
      stream: true,
      tools: [{}],
      messages: [{ role: 'user', content: 'ASK-PEER worker t1' }],
    });
    for (const part of ['$AGENTMUX_COMMAND', 'ask --target worker --message', 'question t1', '--timeout-ms 240000']) {
      expect(ask.text).toContain(part);
    }
    await post('/v1/messages', {
      stream: true,
      tools: [{}],
      messages: [
        { role: 'user', content: 'ASK-PEER worker t1' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Bash', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'answer t1' }] }],
        },
      ],
    });
    expect(server.requests.map((r) => [r.toolCall, r.toolOutput])).toEqual([
      [true, ''],
      [false, 'answer t1'],
    ]);
  });

  it('answers an agentmux envelope carrying a question with the reply command', async () => {
    server = await startModelServer();
    const envelope = [
      '--agentmux-01ABCDEF.9f3a0c1d2e4b',
      'From: lead · To: worker · Thread: 01ABCDEF',
      'question t2',
      'Reply: "$AGENTMUX_COMMAND" send --reply-to 01ABCDEF --message "..."',
      '--agentmux-01ABCDEF.9f3a0c1d2e4b--',
    ].join('\n');
    const input = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: envelope }] }];
    const { text } = await post('/v1/responses', { stream: true, tools: [{}], input });
    for (const part of ['send --reply-to 01ABCDEF --target lead --message', 'answer t2 from $AGENTMUX_SESSION']) {
      expect(text).toContain(part);
    }
    expect(server.requests[0]?.toolCall).toBe(true);
    const done = await post('/v1/responses', {
      stream: true,
      tools: [{}],
      input: [...input, { type: 'function_call_output', call_id: 'c', output: 'message 01X sent' }],
    });
    expect(done.text).toContain('response.output_text.delta');
    expect(server.requests[1]).toMatchObject({ toolCall: false, toolOutput: 'message 01X sent' });
  });

  it('waits the configured delay before answering', async () => {
    server = await startModelServer({ delayMs: 1500 });
    const started = Date.now();
    await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'slow' }] });
    const slow = Date.now() - started;
    expect(slow).toBeGreaterThanOrEqual(1490);
    // A changed delay applies to the next request: it answers before the old delay could pass
    // (compared with the slow request, not with a fixed figure a loaded machine could miss).
    server.delayMs = 0;
    const again = Date.now();
    await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'fast' }] });
    expect(Date.now() - again).toBeLessThan(slow);
  });
});
