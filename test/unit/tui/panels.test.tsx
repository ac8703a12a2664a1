import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Composer } from '../../../src/tui/components/Composer.js';
import { Footer } from '../../../src/tui/components/Footer.js';
import { Header } from '../../../src/tui/components/Header.js';
import { PermissionsPanel } from '../../../src/tui/components/PermissionsPanel.js';
import { SessionsPanel } from '../../../src/tui/components/SessionsPanel.js';
import { StreamPanel } from '../../../src/tui/components/StreamPanel.js';
import { parseDraft, resolveRecipients } from '../../../src/tui/ui/draft.js';
import { fieldOf } from '../../../src/tui/ui/text-field.js';
import { message, relayState, session, storeOf } from './fixtures.js';
import { linesOf, renderWith } from './render.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());
const show = (result: ReturnType<typeof renderWith>): string[] => {
  unmount = result.unmount;
  return linesOf(result.lastFrame());
};

describe('SessionsPanel', () => {
  it('shows each session with its state in words, queue depth and unread mail', () => {
    const state = relayState({
      sessions: [
        session('planner'),
        session('coder', { state: 'busy', queued: 2 }),
        session('reviewer', { state: 'waiting_input' }),
        session('tester', { state: 'offline', unread: 3 }),
        session('you', { role: 'operator', transport: 'socket' }),
      ],
    });
    const lines = show(renderWith(<SessionsPanel width={32} height={12} focused selected="coder" />, state));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toContain('▸ Sessions (5)');
    const text = lines.join('\n');
    expect(text).toMatch(/planner\s+ready/);
    expect(text).toMatch(/›coder\s+busy · 2 queued/);
    expect(text).toMatch(/reviewer\s+needs operator/);
    expect(text).toMatch(/tester\s+offline.*✉3/);
    expect(text).toMatch(/you\s+operator \(you\)/);
    expect(text).toContain('coder: tmux · screen');
    expect(text).toMatch(/planner\s+ready\s+tmux│/);
    expect(text).toMatch(/you\s+operator \(you\)\s+sock│/);
  });

  it('names the host of sessions on other hosts and marks one whose host is offline', () => {
    const state = relayState({
      sessions: [
        session('planner', { host: 'laptop', reachable: true }),
        session('builder', { host: 'build', reachable: false, state: 'busy', queued: 1 }),
        session('trainer', { host: 'gpu', reachable: true, state: 'busy' }),
        session('you', { role: 'operator', transport: 'socket' }),
      ],
    });
    const lines = show(renderWith(<SessionsPanel width={48} height={12} focused selected="builder" />, state));
    const text = lines.join('\n');
    expect(text).toMatch(/planner@laptop\s+ready/);
    expect(text).toMatch(/builder@build\s+host offline/);
    expect(text).not.toMatch(/builder@build\s+busy/);
    expect(text).toMatch(/trainer@gpu\s+busy/);
    expect(text).toMatch(/you\s+operator \(you\)/);
    expect(text).toContain('builder: tmux · screen · on build (offline)');
  });

  it('fails loudly outside the relay provider (ink shows the thrown error)', () => {
    const result = render(<SessionsPanel width={20} height={6} focused={false} selected={null} />);
    unmount = result.unmount;
    expect(result.lastFrame()).toContain('useRelayState was called outside <RelayProvider>');
  });
});

describe('StreamPanel', () => {
  it('shows sender → recipients with delivery glyphs, the thread tag and the body', () => {
    const first = message({ from: 'you', to: ['alice', 'bob'], body: 'deploy it', subject: 'release' });
    const store = storeOf([first]);
    const state = relayState({
      store: {
        ...store,
        byId: new Map([
          [
            first.id,
            {
              message: first,
              deliveries: {
                alice: { state: 'delivered', reason: null },
                bob: { state: 'failed', reason: 'pane_gone' },
              },
            },
          ],
        ]),
      },
    });
    const text = show(
      renderWith(<StreamPanel width={70} height={6} focused={false} selected={null} anchor={null} />, state),
    ).join('\n');
    // The row shows the message's own id in the one abbreviation the notices and the composer use.
    expect(text).toMatch(new RegExp(`you → alice✓, bob✗\\s+#${first.id.slice(-6)} · release`));
    expect(text).toContain('   deploy it');
  });

  it('shows a reply with its own id and the id it answers, both abbreviated alike', () => {
    const root = message({ from: 'alice', to: ['you'], body: 'question' });
    const reply = message({ from: 'you', to: ['alice'], body: 'answer', reply_to: root.id, thread: root.id });
    const text = show(
      renderWith(
        <StreamPanel width={80} height={8} focused={false} selected={null} anchor={null} />,
        relayState({ store: storeOf([root, reply]) }),
      ),
    ).join('\n');
    expect(text).toContain(`#${root.id.slice(-6)}`);
    expect(text).toContain(`#${reply.id.slice(-6)} ↳#${root.id.slice(-6)}`);
  });

  it('flags supervisor events from the relay apart from teammates’ messages', () => {
    const event = message({
      from: 'agentmux:events',
      to: ['you'],
      subject: 'event: turn_finished alice',
      body: 'alice finished its turn after 4.2 s and is idle.',
    });
    const plain = message({ from: 'alice', to: ['you'], body: 'done' });
    const text = show(
      renderWith(
        <StreamPanel width={70} height={8} focused={false} selected={null} anchor={null} />,
        relayState({ store: storeOf([event, plain]) }),
      ),
    ).join('\n');
    expect(text).toContain(' ⚑ alice finished its turn after 4.2 s and is idle.');
    expect(text).toContain('   done');
    expect(text).not.toContain('⚑ done');
  });

  it('renders only the newest messages that fit, with long bodies cut to two lines', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => message({ body: `body ${i}\nsecond\nthird\nfourth` }));
    const lines = show(
      renderWith(
        <StreamPanel width={60} height={11} focused selected={null} anchor={null} />,
        relayState({ store: storeOf(messages) }),
      ),
    );
    expect(lines).toHaveLength(11);
    expect(lines[0]).toContain('Messages (1000)');
    const text = lines.join('\n');
    expect(text).toContain('body 999');
    expect(text).toContain('body 997');
    expect(text).not.toContain('body 996');
    expect(text).toContain('…(+2 lines)');
  });

  it('says how many newer messages are below an anchored window', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message({ body: `m${i}` }));
    const text = show(
      renderWith(
        <StreamPanel
          width={60}
          height={8}
          focused
          selected={messages[3]?.id ?? null}
          anchor={messages[4]?.id ?? null}
        />,
        relayState({ store: storeOf(messages) }),
      ),
    ).join('\n');
    expect(text).toContain('↓ 5 newer');
    expect(text).toMatch(/›\d\d:\d\d:\d\d alice/);
  });

  it('neutralises control sequences in bodies', () => {
    const m = message({ body: 'red \u001b[31mtext\u0007 here' });
    const frame = show(
      renderWith(
        <StreamPanel width={60} height={5} focused={false} selected={null} anchor={null} />,
        relayState({ store: storeOf([m]) }),
      ),
    ).join('\n');
    expect(frame).toContain('red [31mtext here');
    expect(frame).not.toContain('\u0007');
  });
});

describe('Composer', () => {
  const props = (text: string, extra: Partial<Parameters<typeof Composer>[0]> = {}) => ({
    width: 60,
    rows: 2,
    focused: true,
    draft: fieldOf(text),
    recipients: resolveRecipients(parseDraft(text), 'you', null, null),
    replyTo: null,
    completions: [],
    sending: false,
    ...extra,
  });

  it('titles the box with the recipients and shows the cursor line', () => {
    const result = render(<Composer {...props('@alice @bob ship it')} />);
    unmount = result.unmount;
    const lines = linesOf(result.lastFrame());
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('To: alice, bob');
    expect(lines[1]).toContain('› @alice @bob ship it');
  });

  it('says how to name a recipient, the reply target and completions', () => {
    const empty = render(<Composer {...props('')} />);
    expect(empty.lastFrame()).toContain('start with @name');
    empty.unmount();
    const reply = { id: '01ABCDEFGH', from: 'alice', to: ['you'] };
    const replying = render(
      <Composer
        {...props('@al', {
          replyTo: reply,
          completions: ['alex', 'alice'],
          recipients: resolveRecipients(parseDraft('x'), 'you', reply, null),
        })}
      />,
    );
    unmount = replying.unmount;
    expect(replying.lastFrame()).toContain("re alice's #CDEFGH · @ alex alice");
  });

  it('shows the lines around the cursor of a long multi-line draft', () => {
    const draft = { text: 'one\ntwo\nthree\nfour', cursor: 'one\ntwo\nthree\nfour'.length };
    const result = render(<Composer {...props(draft.text, { draft })} />);
    unmount = result.unmount;
    const lines = linesOf(result.lastFrame());
    expect(lines[1]).toContain('three');
    expect(lines[2]).toContain('four');
    expect(lines.join('\n')).not.toContain('one');
  });
});

describe('Header, footer and permissions', () => {
  it('shows the relay and an agent summary, or the reconnect reason', () => {
    expect(show(renderWith(<Header width={100} />)).join('')).toMatch(
      /crew as you\s+● relay 4242\s+2 agents · 1 busy · 2 queued/,
    );
    const down = relayState({ link: 'reconnecting', linkError: 'relay_unavailable: gone' });
    expect(show(renderWith(<Header width={100} />, down)).join('')).toContain(
      '○ reconnecting… relay_unavailable: gone',
    );
  });

  it('shows the notice above the key hints of the mode', () => {
    const result = render(<Footer width={80} mode="stream" notice={{ text: 'boom', level: 'error' }} idle="" />);
    unmount = result.unmount;
    const lines = linesOf(result.lastFrame());
    expect(lines[0]).toBe('boom');
    expect(lines[1]).toContain('Enter reply');
    expect(lines[1]).toContain('^C quit');
  });

  it('lists pending permission requests with their options', () => {
    const state = relayState({
      permissions: [
        {
          id: 'P1',
          session: 'coder',
          title: 'Run rm -rf build',
          options: [
            { id: 'a', name: 'Allow once', kind: 'allow_once' },
            { id: 'r', name: 'Reject', kind: 'reject_once' },
          ],
          createdAt: null,
        },
      ],
    });
    const text = show(renderWith(<PermissionsPanel width={80} height={3} focused selected={0} />, state)).join('\n');
    expect(text).toContain('Permission requests (1)');
    expect(text).toContain('›coder: Run rm -rf build  [Allow once / Reject]');
  });
});
