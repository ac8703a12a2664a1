// Every row of the hook event → agent state table (Settled detail 21), with payloads shaped
// like the ones recorded from the real CLIs (reference/real-clis.md §2–§4).
import { describe, expect, it } from 'vitest';
import { CODEX_TITLE_PROMPT_PREFIX, MAX_PROMPT_BYTES, interpretHook, truncateUtf8 } from '../../../src/hooks/events.js';

const CLAUDE_ID = '3f2c9d1e-5b7a-4c21-9e0f-6a8b7c6d5e4f';
const claudeBase = { session_id: CLAUDE_ID, transcript_path: '/h/.claude/projects/p/x.jsonl', cwd: '/proj' };
const GEMINI_ID = '6c77a0b2-1d3e-4f56-8a9b-0c1d2e3f4a5b';
const geminiBase = {
  session_id: GEMINI_ID,
  transcript_path: '/h/.gemini/tmp/proj/chats/session-1.jsonl',
  cwd: '/proj',
  timestamp: '2026-01-01T00:00:00.000Z',
};
const CODEX_ID = '01a2b3c4-d5e6-7f80-9a1b-2c3d4e5f6a7b';
const codexBase = { session_id: CODEX_ID, transcript_path: '/h/.codex/sessions/2026/rollout-1.jsonl', cwd: '/proj' };

describe('Claude Code events', () => {
  it('SessionStart only names the conversation', () => {
    const payload = { ...claudeBase, hook_event_name: 'SessionStart', source: 'startup', model: 'claude-opus-4-8[1m]' };
    expect(interpretHook('claude', 'SessionStart', payload)).toEqual({
      event: 'SessionStart',
      conversationId: CLAUDE_ID,
    });
  });

  it('UserPromptSubmit is busy and carries the prompt', () => {
    const payload = {
      ...claudeBase,
      prompt_id: 'da5a',
      permission_mode: 'default',
      hook_event_name: 'UserPromptSubmit',
      prompt: '--agentmux-01JABC\nFrom: alice · To: bob\nhello',
    };
    expect(interpretHook('claude', 'UserPromptSubmit', payload)).toEqual({
      event: 'UserPromptSubmit',
      state: 'busy',
      conversationId: CLAUDE_ID,
      prompt: '--agentmux-01JABC\nFrom: alice · To: bob\nhello',
    });
  });

  it('PreToolUse and PostToolUse are busy, without a prompt', () => {
    const pre = {
      ...claudeBase,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'touch mock-was-here.txt', description: 'x' },
      tool_use_id: 'toolu_1',
    };
    const post = {
      ...claudeBase,
      hook_event_name: 'PostToolUse',
      tool_response: { stdout: '', stderr: '', interrupted: false },
      duration_ms: 178,
    };
    expect(interpretHook('claude', 'PreToolUse', pre)).toEqual({
      event: 'PreToolUse',
      state: 'busy',
      conversationId: CLAUDE_ID,
    });
    expect(interpretHook('claude', 'PostToolUse', post)?.state).toBe('busy');
  });

  it('Notification permission_prompt and elicitation_dialog wait for the human; idle_prompt is idle', () => {
    const note = (type: string) => ({
      ...claudeBase,
      hook_event_name: 'Notification',
      message: 'Claude needs your permission',
      notification_type: type,
    });
    expect(interpretHook('claude', 'Notification', note('permission_prompt'))?.state).toBe('waiting_input');
    expect(interpretHook('claude', 'Notification', note('elicitation_dialog'))?.state).toBe('waiting_input');
    expect(interpretHook('claude', 'Notification', note('idle_prompt'))?.state).toBe('idle');
    expect(interpretHook('claude', 'Notification', note('auth_success'))).toBeUndefined();
  });

  it('Stop is idle', () => {
    const payload = {
      ...claudeBase,
      hook_event_name: 'Stop',
      effort: { level: 'high' },
      stop_hook_active: false,
      last_assistant_message: 'MOCK-REPLY: hi',
      background_tasks: [],
      session_crons: [],
    };
    expect(interpretHook('claude', 'Stop', payload)).toEqual({
      event: 'Stop',
      state: 'idle',
      conversationId: CLAUDE_ID,
    });
  });

  it('SessionEnd is offline, except for /clear (the agent keeps running)', () => {
    const end = (reason: string) => ({ ...claudeBase, hook_event_name: 'SessionEnd', reason });
    expect(interpretHook('claude', 'SessionEnd', end('other'))?.state).toBe('offline');
    expect(interpretHook('claude', 'SessionEnd', end('prompt_input_exit'))?.state).toBe('offline');
    expect(interpretHook('claude', 'SessionEnd', end('clear'))).toEqual({
      event: 'SessionEnd',
      conversationId: CLAUDE_ID,
    });
  });

  it('takes the event from the payload when no EVENT argument was given', () => {
    expect(interpretHook('claude', undefined, { ...claudeBase, hook_event_name: 'Stop' })?.state).toBe('idle');
    expect(interpretHook('claude', undefined, undefined)).toBeUndefined();
  });

  it('still reports the state when the payload is missing or its id is malformed', () => {
    expect(interpretHook('claude', 'PreToolUse', undefined)).toEqual({ event: 'PreToolUse', state: 'busy' });
    expect(interpretHook('claude', 'Stop', { session_id: 'a b;rm -rf' })).toEqual({ event: 'Stop', state: 'idle' });
  });

  it('ignores events it has no meaning for', () => {
    expect(interpretHook('claude', 'PreCompact', { ...claudeBase, trigger: 'auto' })).toBeUndefined();
    expect(interpretHook('claude', 'SubagentStop', claudeBase)).toBeUndefined();
  });
});

describe('Gemini CLI events', () => {
  it('SessionStart only names the conversation', () => {
    const payload = { ...geminiBase, hook_event_name: 'SessionStart', source: 'startup' };
    expect(interpretHook('gemini', 'SessionStart', payload)).toEqual({
      event: 'SessionStart',
      conversationId: GEMINI_ID,
    });
  });

  it('BeforeAgent is busy with the prompt; BeforeTool and AfterTool are busy', () => {
    const before = { ...geminiBase, hook_event_name: 'BeforeAgent', prompt: 'plain prompt' };
    expect(interpretHook('gemini', 'BeforeAgent', before)).toEqual({
      event: 'BeforeAgent',
      state: 'busy',
      conversationId: GEMINI_ID,
      prompt: 'plain prompt',
    });
    const tool = {
      ...geminiBase,
      hook_event_name: 'BeforeTool',
      tool_name: 'run_shell_command',
      tool_input: { command: 'touch mock-was-here.txt', description: 'mock tool call' },
    };
    expect(interpretHook('gemini', 'BeforeTool', tool)?.state).toBe('busy');
    expect(interpretHook('gemini', 'AfterTool', { ...tool, hook_event_name: 'AfterTool' })?.state).toBe('busy');
  });

  it('Notification ToolPermission waits for the human; other notifications say nothing', () => {
    const payload = {
      ...geminiBase,
      hook_event_name: 'Notification',
      notification_type: 'ToolPermission',
      message: 'Tool Confirm Shell Command requires execution',
      details: { type: 'exec' },
    };
    expect(interpretHook('gemini', 'Notification', payload)?.state).toBe('waiting_input');
    expect(interpretHook('gemini', 'Notification', { ...payload, notification_type: 'Other' })).toBeUndefined();
    // Claude's notification types mean nothing to Gemini.
    expect(interpretHook('gemini', 'Notification', { ...payload, notification_type: 'idle_prompt' })).toBeUndefined();
  });

  it('AfterAgent is idle (no prompt passed on); SessionEnd is offline', () => {
    const after = {
      ...geminiBase,
      hook_event_name: 'AfterAgent',
      prompt: 'plain prompt',
      prompt_response: 'MOCK-REPLY',
      stop_hook_active: false,
    };
    expect(interpretHook('gemini', 'AfterAgent', after)).toEqual({
      event: 'AfterAgent',
      state: 'idle',
      conversationId: GEMINI_ID,
    });
    expect(interpretHook('gemini', 'SessionEnd', { ...geminiBase, reason: 'exit' })?.state).toBe('offline');
  });
});

describe('Codex CLI events', () => {
  const notify = (inputs: string[]) => ({
    type: 'agent-turn-complete',
    'thread-id': CODEX_ID,
    'turn-id': '12345',
    cwd: '/proj',
    client: 'codex-tui',
    'input-messages': inputs,
    'last-assistant-message': 'MOCK-REPLY',
  });

  it('notify agent-turn-complete is idle, with the thread id as the conversation', () => {
    expect(interpretHook('codex', undefined, notify(['plain prompt']))).toEqual({
      event: 'agent-turn-complete',
      state: 'idle',
      conversationId: CODEX_ID,
    });
  });

  it('drops the hidden title-generation turn entirely', () => {
    const title = notify([`${CODEX_TITLE_PROMPT_PREFIX} for this conversation: plain prompt`]);
    expect(interpretHook('codex', undefined, { ...title, 'thread-id': 'other-thread' })).toBeUndefined();
  });

  it('hooks.json events: PermissionRequest waits; UserPromptSubmit, PreToolUse busy; Stop idle', () => {
    const permission = {
      ...codexBase,
      hook_event_name: 'PermissionRequest',
      tool_name: 'Bash',
      tool_input: { command: 'touch mock-was-here.txt', description: 'The mock wants to create a file' },
    };
    expect(interpretHook('codex', 'PermissionRequest', permission)).toEqual({
      event: 'PermissionRequest',
      state: 'waiting_input',
      conversationId: CODEX_ID,
    });
    const prompt = { ...codexBase, hook_event_name: 'UserPromptSubmit', turn_id: 't', prompt: 'plain prompt' };
    expect(interpretHook('codex', 'UserPromptSubmit', prompt)?.prompt).toBe('plain prompt');
    expect(interpretHook('codex', 'PreToolUse', { ...codexBase, tool_name: 'Bash' })?.state).toBe('busy');
    expect(interpretHook('codex', 'Stop', { ...codexBase, stop_hook_active: false })?.state).toBe('idle');
  });
});

describe('prompt truncation', () => {
  it('keeps at most 4 KiB of UTF-8 and never splits a character', () => {
    const long = `--agentmux-01J\n${'é'.repeat(5000)}`;
    const report = interpretHook('claude', 'UserPromptSubmit', { prompt: long });
    const prompt = report?.prompt ?? '';
    expect(Buffer.byteLength(prompt)).toBeLessThanOrEqual(MAX_PROMPT_BYTES);
    expect(Buffer.byteLength(prompt)).toBeGreaterThan(MAX_PROMPT_BYTES - 2);
    expect(prompt.startsWith('--agentmux-01J\n')).toBe(true);
    expect(prompt.endsWith('é')).toBe(true);
    expect(truncateUtf8('😀😀', 5)).toBe('😀');
    expect(truncateUtf8('short', 4096)).toBe('short');
  });
});
