// tmux injection: the time from a ready pane to a full 1 KiB message on its screen. The pane
// runs the scripted agent (examples/scripted-agent.mjs, AGENT_THINK_MS=0) at its prompt and
// quiet; the clock starts, PaneInjector types an envelope-like text whose last line is a unique
// marker, and capture-pane (through the control client) is polled every ~1 ms until the marker
// is on screen. The paste path (load-buffer + paste-buffer) is budgeted; send-keys -l chunks
// are shown for comparison. Enter is never pressed: the text stays in the agent's composer,
// and C-u clears it between runs. Then, end to end: `send` through a real relay to a scripted
// agent in the relay's own pane, until the agent has submitted it (lib/relay-tmux-e2e.mjs).
// Budget (DESIGN.md "Performance budgets"): < 20 ms after readiness.
import { randomBytes } from 'node:crypto';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';
import {
  SCRIPTED_AGENT_PATH,
  benchTmuxEnv,
  loadTmuxTransport,
  shellWord,
  sleep,
  startPrivateTmux,
  waitUntil,
} from './lib/tmux.mjs';

const WARMUP = 3;
const RUNS = 30;
const E2E_WARMUP = 1;
const E2E_RUNS = 15;
const MESSAGE_BYTES = 1024;
const QUIET_MS = 50;
const POLL_MS = 1;
const RUN_TIMEOUT_MS = 5_000;
const PROMPT = 'agent>';
const LOREM = 'the relay journals every message before it answers and types it into the pane once, whole. ';

/** An envelope like the relay's, exactly `MESSAGE_BYTES` UTF-8 bytes; its last line is `marker`. */
function envelope(id) {
  const marker = `--agentmux-${id}--`;
  const head = [`--agentmux-${id}`, `From: alice · To: bob · Thread: ${id} · Subject: injection bench`];
  const tail = [`Reply: "$AGENTMUX_COMMAND" send --reply-to ${id} --message "..."`, marker];
  const fixed = Buffer.byteLength([...head, '', ...tail].join('\n'));
  // ASCII body with a newline every 72 characters, so its length in bytes is its length.
  let body = '';
  for (let i = 0; i < MESSAGE_BYTES - fixed; i += 1) body += (i + 1) % 72 === 0 ? '\n' : LOREM[i % LOREM.length];
  const text = [...head, body, ...tail].join('\n');
  if (Buffer.byteLength(text) !== MESSAGE_BYTES) throw new Error(`envelope is ${Buffer.byteLength(text)} bytes`);
  return { text, marker };
}

let tmuxServer;
let control;
try {
  const tmux = await loadTmuxTransport();
  tmuxServer = await startPrivateTmux(tmux, {
    command: `${shellWord(process.execPath)} ${shellWord(SCRIPTED_AGENT_PATH)}`,
    env: { AGENT_NAME: 'bench', AGENT_THINK_MS: '0' },
  });
  const { socket, paneId, dir } = tmuxServer;
  control = await tmux.TmuxControlClient.start({ socket, session: 'bench', binary: 'tmux', env: benchTmuxEnv() });
  const injector = new tmux.PaneInjector({ runner: control, tmpDir: dir });
  const capture = () => tmux.runTmuxChecked(control, ['capture-pane', '-p', '-J', '-t', paneId]);
  const bottomRow = (screen) =>
    screen
      .split('\n')
      .map((row) => row.trimEnd())
      .filter((row) => row !== '')
      .pop() ?? '';

  // Ready: the empty prompt is the last row and the screen has not changed for QUIET_MS.
  const waitReady = () =>
    waitUntil('the agent to sit quiet at an empty prompt', async () => {
      const before = await capture();
      if (bottomRow(before) !== PROMPT) return false;
      await sleep(QUIET_MS);
      return (await capture()) === before;
    });

  const methods = {
    paste: (text, id) => injector.paste(paneId, text, id),
    literal: (text) => injector.typeLiteral(paneId, text),
  };
  const samples = { paste: { screen: [], command: [], polls: [] }, literal: { screen: [], command: [], polls: [] } };
  await waitReady();
  const info = await tmux.runTmuxChecked(control, [
    'display-message',
    '-p',
    '-t',
    paneId,
    '#{pane_width}x#{pane_height}',
  ]);
  say(
    `scripted agent in pane ${paneId} (${info.trim()}); ${MESSAGE_BYTES}-byte envelope; ` +
      `${WARMUP} warm-up + ${RUNS} timed runs per method, alternating; capture-pane polled every ~${POLL_MS} ms`,
  );
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    for (const [method, inject] of Object.entries(methods)) {
      const id = `01BENCH${method === 'paste' ? 'P' : 'L'}${run}X${randomBytes(4).toString('hex').toUpperCase()}`;
      const { text, marker } = envelope(id);
      await waitReady();
      const started = performance.now();
      await inject(text, id);
      const injected = performance.now();
      let polls = 0;
      for (;;) {
        polls += 1;
        if ((await capture()).includes(marker)) break;
        if (performance.now() - started > RUN_TIMEOUT_MS)
          throw new Error(`${method}: the marker was not on screen after ${RUN_TIMEOUT_MS} ms`);
        await sleep(POLL_MS);
      }
      const onScreen = performance.now();
      if (run >= WARMUP) {
        samples[method].screen.push(onScreen - started);
        samples[method].command.push(injected - started);
        samples[method].polls.push(polls);
      }
      // Clear the composer (and so the screen) for the next run.
      await injector.pressKeys(paneId, ['C-u']);
      await waitUntil('the composer to clear', async () => !(await capture()).includes(marker));
    }
  }

  const figures = { runs: RUNS, warmup: WARMUP, message_bytes: MESSAGE_BYTES };
  for (const method of Object.keys(methods)) {
    const screen = latencySummary(samples[method].screen);
    const command = latencySummary(samples[method].command);
    const meanPolls = samples[method].polls.reduce((sum, n) => sum + n, 0) / RUNS;
    const ms = (v) => `${v.toFixed(2)} ms`;
    say(
      `${method.padEnd(7)} ready → on screen p50 ${ms(screen.p50)}  p90 ${ms(screen.p90)}  max ${ms(screen.max)}` +
        `   (tmux commands done after p50 ${ms(command.p50)}; ${meanPolls.toFixed(1)} captures a run)`,
    );
    figures[`${method}_p50_ms`] = round(screen.p50, 3);
    figures[`${method}_p90_ms`] = round(screen.p90, 3);
    figures[`${method}_max_ms`] = round(screen.max, 3);
    figures[`${method}_command_p50_ms`] = round(command.p50, 3);
  }
  control.close();
  await control.exited;
  tmuxServer.dispose();

  const { measureRelayToPane } = await import('./lib/relay-tmux-e2e.mjs');
  const e2e = await measureRelayToPane({ runs: E2E_RUNS, warmup: E2E_WARMUP });
  const ms = (v) => `${v.toFixed(1)} ms`;
  say(
    `relay → pane: send of a ${MESSAGE_BYTES}-byte body to a tmux agent until its log shows it, ${E2E_RUNS} runs ` +
      `(quiet window ${e2e.quietWindowMs} ms, already quiet; submit delay ${e2e.submitDelayMs} ms):`,
  );
  say(
    `        p50 ${ms(e2e.e2e.p50)}  p90 ${ms(e2e.e2e.p90)}  max ${ms(e2e.e2e.max)}` +
      `   (send answered after p50 ${ms(e2e.answered.p50)}; p50 minus submit delay ${ms(e2e.e2e.p50 - e2e.submitDelayMs)})`,
  );
  figures.e2e_runs = E2E_RUNS;
  figures.e2e_submit_delay_ms = e2e.submitDelayMs;
  figures.e2e_p50_ms = round(e2e.e2e.p50, 3);
  figures.e2e_p90_ms = round(e2e.e2e.p90, 3);
  figures.e2e_max_ms = round(e2e.e2e.max, 3);
  figures.e2e_minus_submit_delay_p50_ms = round(e2e.e2e.p50 - e2e.submitDelayMs, 3);
  figures.e2e_send_answered_p50_ms = round(e2e.answered.p50, 3);
  printResult('tmux-injection', figures);
} catch (error) {
  process.stderr.write(`tmux-injection failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  control?.close();
  await control?.exited;
  tmuxServer?.dispose();
}
