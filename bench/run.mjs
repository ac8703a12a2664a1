// `npm run bench`: runs each bench in its own node process (one at a time, so they do not
// compete for the CPU), echoes its lines, reads its final JSON line and prints a summary.
// `node bench/run.mjs [name…] [--strict]`: only the named benches; --strict exits 1 when a
// budget is missed (a failed bench always exits 1).
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCHES } from './lib/budgets.mjs';
import { INSTALL_VARIABLE, snapshotInstall } from './lib/install.mjs';
import { RESULT_PREFIX, say } from './lib/report.mjs';
import { renderSummary } from './lib/summary.mjs';

const BENCH_TIMEOUT_MS = 300_000;

/** Runs `bench/<name>.mjs`; resolves to its JSON figures or an Error. */
function runBench(name, installDir) {
  return new Promise((resolve) => {
    const file = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
    const env = { ...process.env, [INSTALL_VARIABLE]: installDir };
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let result;
    // The bench's own "<name> failed: …" line says most; else the first error node printed.
    let reason = '';
    let firstError = '';
    let lastLine = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), BENCH_TIMEOUT_MS);
    eachLine(child.stdout, (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line);
      else say(`  ${line}`);
    });
    eachLine(child.stderr, (line) => {
      const text = line.trim();
      if (!reason && text.startsWith(`${name} failed: `)) reason = text.slice(name.length + 9);
      if (!firstError && /Error\b/.test(text)) firstError = text;
      if (text) lastLine = text;
      say(`  ! ${line}`);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && result) resolve(result);
      else
        resolve(
          new Error(
            signal ? `killed by ${signal}` : `exit ${code}: ${reason || firstError || lastLine || 'no result line'}`,
          ),
        );
    });
  });
}

/** Calls `onLine` for every complete line of `stream`. */
function eachLine(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => pending && onLine(pending));
}

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const unknown = wanted.filter((name) => !BENCHES.some((bench) => bench.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
const selected = BENCHES.filter((bench) => wanted.length === 0 || wanted.includes(bench.name));

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
say(
  `agentmux bench: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? '?'}), load ${load()}`,
);
const install = await snapshotInstall();
process.once('SIGINT', () => {
  install.remove();
  process.exit(130);
});
say(`running a copy of the build in ${install.dir}`);
const results = new Map();
try {
  for (const bench of selected) {
    say(`\n== ${bench.name}`);
    const result = await runBench(bench.name, install.dir);
    if (result instanceof Error) say(`  FAILED: ${result.message}`);
    results.set(bench.name, result);
  }
} finally {
  install.remove();
}
const { text, allPass } = renderSummary(selected, results);
say(`\nsummary (load average ${load()}; budgets from DESIGN.md "Performance budgets")\n${text}`);
const failed = [...results.values()].some((result) => result instanceof Error);
process.exitCode = failed || (strict && !allPass) ? 1 : 0;
