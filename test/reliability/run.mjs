// `npm run reliability [-- --size ci|full] [--only crash,fuzz,…]`: runs the reliability and
// security scenarios (issue 8, DESIGN.md "Reliability and security rules") one after another
// against the BUILT relay, prints one table row per scenario and exits 1 when any scenario
// breaks its invariant (its failures are printed under the table).
import { disposeAllNow } from './lib/fixture.mjs';
import { renderTable } from './lib/table.mjs';
import { runConnectionLimit } from './scenarios/connection-limit.mjs';
import { runCrash } from './scenarios/crash.mjs';
import { runFilesystem } from './scenarios/filesystem.mjs';
import { runFuzz } from './scenarios/fuzz.mjs';
import { runJournalHighWater } from './scenarios/journal-high-water.mjs';
import { runIdentity } from './scenarios/identity.mjs';
import { runMemoryBudget } from './scenarios/memory-budget.mjs';
import { runPane } from './scenarios/pane.mjs';
import { runSoak } from './scenarios/soak.mjs';

const SCENARIOS = [
  ['crash', runCrash],
  ['fuzz', runFuzz],
  ['identity', runIdentity],
  ['filesystem', runFilesystem],
  ['journal-high-water', runJournalHighWater],
  ['pane', runPane],
  ['soak', runSoak],
  ['connection-limit', runConnectionLimit],
  ['memory-budget', runMemoryBudget],
];

function parseArgs(argv) {
  const options = { size: 'ci', only: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const [, inline] = arg.split('=');
      if (inline !== undefined) return inline;
      i += 1;
      return argv[i];
    };
    if (arg === '--size' || arg.startsWith('--size=')) options.size = value();
    else if (arg === '--only' || arg.startsWith('--only=')) options.only = value().split(',');
    else throw new Error(`unknown argument ${arg} (use --size ci|full, --only name,…)`);
  }
  if (options.size !== 'ci' && options.size !== 'full')
    throw new Error(`--size must be ci or full, not ${options.size}`);
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const rows = [];
  let failed = false;
  const startedAll = Date.now();
  for (const [name, run] of SCENARIOS) {
    if (options.only && !options.only.includes(name)) continue;
    const started = Date.now();
    console.log(`::: reliability ${name} (${options.size})`);
    let row;
    try {
      row = await run(options.size);
    } catch (error) {
      row = { scenario: name, failures: [`crashed: ${error?.stack ?? error}`] };
    }
    const skipped = row.skipped?.length ?? 0;
    row.verdict = row.failures.length > 0 ? 'FAIL' : skipped > 0 ? `pass, ${skipped} SKIP` : 'pass';
    failed ||= row.failures.length > 0;
    console.log(`::: reliability ${name}: ${row.verdict} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    for (const failure of row.failures) console.log(`    ✗ ${failure}`);
    for (const label of row.skipped ?? []) console.log(`    SKIP ${label}`);
    rows.push(row);
  }
  console.log('');
  console.log(`agentmux reliability, size ${options.size}, ${((Date.now() - startedAll) / 1000).toFixed(0)}s`);
  console.log(renderTable(rows));
  const skips = rows.flatMap((row) => (row.skipped ?? []).map((label) => `${row.scenario}: ${label}`));
  console.log(
    skips.length === 0
      ? '\nskipped: none'
      : `\nskipped: ${skips.length} case(s), not run here:\n  ${skips.join('\n  ')}`,
  );
  if (failed) {
    console.log('\nfailures:');
    for (const row of rows) for (const failure of row.failures) console.log(`  ${row.scenario}: ${failure}`);
  }
  return failed ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error?.stack ?? String(error));
} finally {
  disposeAllNow();
}
process.exit(code);
