// tmux command latency: one command through the long-lived control-mode client
// (TmuxControlClient) versus spawning a tmux client per command (SpawnTmuxRunner), for
// `display-message -p '#{pane_id}'` and `capture-pane -p` of a full 200×50 pane.
// DESIGN.md "tmux injection and readiness" expects control mode ~25–50× faster (~0.1 ms a call).
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';
import { benchTmuxEnv, loadTmuxTransport, shellWord, startPrivateTmux } from './lib/tmux.mjs';

const WARMUP = 20;
const SAMPLES = 200;

// A screen full of text, so capture-pane has a realistic amount to send back.
const FILL = `i=0; while [ $i -lt 60 ]; do printf '%03d the quick brown fox jumps over the lazy dog\\n' $i; i=$((i+1)); done; exec cat`;

function show(label, s) {
  const ms = (v) => `${v.toFixed(3)} ms`;
  say(`${label.padEnd(34)} p50 ${ms(s.p50)}  p90 ${ms(s.p90)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
}

let tmuxServer;
let control;
try {
  const tmux = await loadTmuxTransport();
  tmuxServer = await startPrivateTmux(tmux, { command: `sh -c ${shellWord(FILL)}` });
  const { socket, paneId } = tmuxServer;
  control = await tmux.TmuxControlClient.start({ socket, session: 'bench', binary: 'tmux', env: benchTmuxEnv() });
  const spawned = new tmux.SpawnTmuxRunner({ socket, binary: 'tmux', env: benchTmuxEnv() });
  const commands = {
    display: ['display-message', '-p', '-t', paneId, '#{pane_id}'],
    capture: ['capture-pane', '-p', '-t', paneId],
  };
  const expected = {
    display: `${paneId}\n`,
    capture: await tmux.runTmuxChecked(spawned, commands.capture),
  };
  if (!expected.capture.includes('059 the quick brown fox')) throw new Error('the pane did not fill with text');
  const runners = { control, spawn: spawned };
  const cases = Object.keys(runners).flatMap((runner) => Object.keys(commands).map((command) => [runner, command]));
  const samples = Object.fromEntries(cases.map(([runner, command]) => [`${runner}_${command}`, []]));
  say(
    `tmux ${(await tmux.runTmuxChecked(spawned, ['display-message', '-p', '#{version}'])).trim()}, pane ${paneId}; ` +
      `${WARMUP} warm-up + ${SAMPLES} timed rounds, each running every case once in turn`,
  );
  for (let round_ = 0; round_ < WARMUP + SAMPLES; round_ += 1) {
    for (const [runner, command] of cases) {
      const started = performance.now();
      const stdout = await tmux.runTmuxChecked(runners[runner], commands[command]);
      const elapsed = performance.now() - started;
      // Wrong output would mean a mismatched reply, and the timing would mean nothing.
      if (stdout !== expected[command]) throw new Error(`${runner} ${command} answered ${JSON.stringify(stdout)}`);
      if (round_ >= WARMUP) samples[`${runner}_${command}`].push(elapsed);
    }
  }
  const figures = { samples: SAMPLES, warmup: WARMUP, capture_bytes: Buffer.byteLength(expected.capture) };
  const summaries = {};
  for (const [runner, command] of cases) {
    const key = `${runner}_${command}`;
    summaries[key] = latencySummary(samples[key]);
    show(`${command} via ${runner === 'control' ? 'control client' : 'spawned tmux'}`, summaries[key]);
    for (const [stat, value] of Object.entries(summaries[key])) figures[`${key}_${stat}_ms`] = round(value, 4);
  }
  for (const command of Object.keys(commands)) {
    const ratio = summaries[`spawn_${command}`].p50 / summaries[`control_${command}`].p50;
    figures[`${command}_ratio`] = round(ratio, 1);
    say(`${command}: spawned tmux p50 is ${ratio.toFixed(1)}× the control client's`);
  }
  printResult('tmux-control', figures);
} catch (error) {
  process.stderr.write(`tmux-control failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  control?.close();
  await control?.exited;
  tmuxServer?.dispose();
}
