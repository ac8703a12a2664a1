// Scenario 5: pane hostility. Bodies with escape sequences, bracketed-paste end markers, tmux
// format and shell syntax and 100 KiB of text go to a scripted agent in a real tmux pane; a
// NUL byte is refused. Invariants: what the agent receives is inert text (no ESC or control
// characters but \n and \t, the visible text intact), the pane's own state (title, screen,
// the agent process) is untouched, and a NUL body is `validation_invalid_body`.
import { ms } from '../lib/table.mjs';
import {
  agentInput,
  agentLog,
  connect,
  createFixture,
  disposeFixture,
  tmux,
  upAgents,
  waitFor,
} from '../lib/fixture.mjs';

// What a pane may type besides text: \t, \n and \r (Enter); the paste markers are removed first.
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROLS = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]/g;

const BIG = Array.from({ length: 1600 }, (_, i) => `line ${String(i).padStart(4, '0')} ${'z'.repeat(56)}`).join('\n');

const HOSTILE = [
  {
    name: 'escape sequences',
    body: 'A \x1b]0;pwned\x07 B \x1b[2J C \x1b[31mred\x1b[0m D \x1bc E \x9b31m F \x07\x08\x7f G',
    keep: ['A', 'B', 'C', 'red', 'D', 'E', 'F', 'G'],
  },
  {
    name: 'paste end marker',
    body: 'before \x1b[201~ after \x1b[200~ again [201~ done',
    keep: ['before', 'after', 'again', 'done'],
  },
  {
    name: 'tmux and shell syntax',
    body: '#{pane_id} $HOME ~ `id` $(id) ; trailing;',
    keep: ['#{pane_id}', '$HOME', '~', '`id`', '$(id)', 'trailing;'],
  },
  { name: '100 KiB body', body: BIG, keep: ['line 0000', 'line 0800', 'line 1599'] },
];

/**
 * The raw input that carried `marker`: from the paste start before it up to the first \r
 * typed outside a bracketed paste (the Enter that submitted it), chunked pastes included.
 */
function typedFor(input, marker) {
  const at = input.indexOf(marker);
  if (at === -1) return undefined;
  const start = Math.max(0, input.lastIndexOf('\x1b[200~', at));
  let inPaste = false;
  for (let i = start; i < input.length; i += 1) {
    if (input.startsWith('\x1b[200~', i)) inPaste = true;
    else if (input.startsWith('\x1b[201~', i)) inPaste = false;
    else if (input[i] === '\r' && !inPaste) return input.slice(start, i + 1);
  }
  return input.slice(start);
}

export async function runPane() {
  const fixture = createFixture({ name: 'pane', sockets: [], agents: ['pane'] });
  const failures = [];
  let client;
  try {
    await upAgents(fixture);
    const titleBefore = tmux(fixture, ['display-message', '-p', '-t', '=pane:', '#{pane_title}']).stdout.trim();
    client = await connect(fixture, 'user');
    const latencies = [];
    let delivered = 0;
    for (const [index, item] of HOSTILE.entries()) {
      const marker = `hostile-${index}`;
      const t0 = performance.now();
      const sent = await client.request('send', { to: ['pane'], body: `${marker} ${item.body}`, request_id: marker });
      let prompt;
      await waitFor(
        () => {
          prompt = agentLog(fixture, 'pane').find((p) => p.text.includes(sent.message_id));
          return prompt !== undefined;
        },
        { timeoutMs: 60_000, what: `${item.name} to reach the agent` },
      ).catch((error) => failures.push(error.message));
      if (!prompt) continue;
      latencies.push(performance.now() - t0);
      delivered += 1;
      // The scripted agent itself drops escape sequences from what it submits, so look at the
      // raw bytes its terminal gave it: between the marker and the submit, nothing but the
      // bracketed-paste markers and \r may be a control character.
      const typed = typedFor(agentInput(fixture, 'pane'), marker);
      if (typed === undefined) failures.push(`${item.name}: the agent's terminal never received the marker`);
      const controls = typed?.replaceAll('\x1b[200~', '').replaceAll('\x1b[201~', '').match(CONTROLS);
      if (controls)
        failures.push(`${item.name}: the pane typed control characters ${JSON.stringify(controls.slice(0, 5))}`);
      for (const word of [marker, ...item.keep]) {
        if (!prompt.text.includes(word)) failures.push(`${item.name}: "${word}" did not arrive intact`);
      }
    }
    // NUL: refused before anything is journaled or typed.
    let nulCode;
    try {
      await client.request('send', { to: ['pane'], body: 'nul \u0000 byte' });
    } catch (error) {
      nulCode = error?.code;
    }
    if (nulCode !== 'validation_invalid_body')
      failures.push(`NUL body: expected validation_invalid_body, got ${nulCode}`);
    const titleAfter = tmux(fixture, ['display-message', '-p', '-t', '=pane:', '#{pane_title}']).stdout.trim();
    if (titleAfter !== titleBefore || titleAfter.includes('pwned'))
      failures.push(`pane title changed to "${titleAfter}"`);
    await waitFor(() => /agent>\s*$/.test(tmux(fixture, ['capture-pane', '-p', '-t', '=pane:']).stdout.trimEnd()), {
      timeoutMs: 20_000,
      what: 'the agent back at its prompt',
    }).catch((error) => failures.push(error.message));
    const submitted = agentLog(fixture, 'pane').length;
    if (submitted !== HOSTILE.length)
      failures.push(`agent submitted ${submitted} prompts for ${HOSTILE.length} messages`);
    return {
      scenario: '5 pane hostility',
      load: `${HOSTILE.length} hostile bodies + NUL`,
      faults: 'ESC/OSC/CSI, C0/C1, paste end, tmux #{}, 100 KiB, NUL',
      accepted: HOSTILE.length,
      delivered,
      lost: HOSTILE.length - delivered,
      duplicated: Math.max(0, submitted - HOSTILE.length),
      maxLatency: `${ms(Math.max(...latencies))} to agent`,
      extra: `NUL → ${nulCode}; title unchanged: ${titleAfter === titleBefore}`,
      failures,
    };
  } finally {
    client?.close();
    await disposeFixture(fixture);
  }
}
