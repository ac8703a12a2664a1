import { afterEach, describe, expect, it, vi } from 'vitest';
import { HelpOverlay, helpLines } from '../../../src/tui/components/HelpOverlay.js';
import { LookOverlay } from '../../../src/tui/components/LookOverlay.js';
import { SearchOverlay } from '../../../src/tui/components/SearchOverlay.js';
import { ThreadOverlay } from '../../../src/tui/components/ThreadOverlay.js';
import { fieldOf } from '../../../src/tui/ui/text-field.js';
import { history, relayState } from './fixtures.js';
import { fakeActions, linesOf, renderWith } from './render.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());
const noop = (): void => undefined;

describe('HelpOverlay', () => {
  it('lists the keys of every mode and reports how far it scrolls', () => {
    let max = -1;
    const result = renderWith(
      <HelpOverlay width={80} height={10} scroll={Number.MAX_SAFE_INTEGER} onMaxScroll={(m) => (max = m)} />,
    );
    unmount = result.unmount;
    const lines = linesOf(result.lastFrame());
    expect(lines).toHaveLength(10);
    expect(lines[1]).toContain('Start a message with @name');
    expect(max).toBeGreaterThan(0);
    expect(helpLines().join('\n')).toMatch(/Permission requests: .*a\/y approve/);
  });
});

describe('ThreadOverlay', () => {
  it('shows whole bodies wrapped to the width, newest at the bottom', () => {
    const root = history({ from: 'you', to: ['alice'], body: 'please look at the failing test in the parser module' });
    const answer = history({
      from: 'alice',
      to: ['you'],
      reply_to: root.id,
      thread: root.id,
      body: 'done\nit was a typo',
    });
    const result = renderWith(
      <ThreadOverlay
        width={40}
        height={12}
        id={root.id}
        messages={[root, answer]}
        error={null}
        scroll={0}
        onMaxScroll={noop}
      />,
    );
    unmount = result.unmount;
    const text = linesOf(result.lastFrame()).join('\n');
    expect(text).toContain('2 messages');
    expect(text).toContain('please look at the failing test in');
    expect(text).toContain('the parser module');
    expect(text).toContain('it was a typo');
  });

  it('says it is loading, or why it failed', () => {
    const loading = renderWith(
      <ThreadOverlay width={40} height={6} id="X" messages={null} error={null} scroll={0} onMaxScroll={noop} />,
    );
    expect(loading.lastFrame()).toContain('loading thread');
    loading.unmount();
    const failed = renderWith(
      <ThreadOverlay
        width={60}
        height={6}
        id="X"
        messages={null}
        error="[validation_unknown_message] no"
        scroll={0}
        onMaxScroll={noop}
      />,
    );
    unmount = failed.unmount;
    expect(failed.lastFrame()).toContain('[validation_unknown_message] no');
  });
});

describe('SearchOverlay', () => {
  it('shows the query, a count and one row per result', () => {
    const results = [history({ body: 'build failed' }), history({ body: 'build passed' })];
    const result = renderWith(
      <SearchOverlay
        width={70}
        height={8}
        query={fieldOf('build')}
        submitted="build"
        results={results}
        selected={1}
        error={null}
      />,
    );
    unmount = result.unmount;
    const lines = linesOf(result.lastFrame());
    expect(lines[1]).toContain('Search: build');
    expect(lines[2]).toContain('2 results for "build"');
    expect(lines[4]).toMatch(/›\d\d:\d\d:\d\d alice → you: build passed/);
  });
});

describe('LookOverlay', () => {
  it('polls look for the target and shows the bottom of its pane', async () => {
    const actions = fakeActions({
      look: (target) =>
        Promise.resolve({
          target,
          transport: 'tmux',
          captured_at: new Date().toISOString(),
          state: 'idle',
          lines: ['old line', 'agent> ', '', ''],
        }),
    });
    const result = renderWith(
      <LookOverlay width={60} height={6} target="alice" scroll={0} refresh={0} onMaxScroll={noop} />,
      relayState(),
      actions,
    );
    unmount = result.unmount;
    // The answer renders on ink's schedule; wait for it (a hang guard) rather than a fixed pause.
    await vi.waitFor(() => {
      const text = linesOf(result.lastFrame()).join('\n');
      expect(text).toContain('Look: alice · ready');
      expect(text).toContain('agent>');
    }, 5_000);
    expect(actions.calls[0]).toEqual({ name: 'look', args: ['alice'] });
  });

  it('shows the error when look is refused', async () => {
    const actions = fakeActions({ look: () => Promise.reject(new Error('denied')) });
    const result = renderWith(
      <LookOverlay width={60} height={6} target="bob" scroll={0} refresh={0} onMaxScroll={noop} />,
      relayState(),
      actions,
    );
    unmount = result.unmount;
    await vi.waitFor(() => expect(result.lastFrame()).toContain('[internal_unexpected_failure] denied'), 5_000);
  });
});
