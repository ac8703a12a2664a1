#!/usr/bin/env node
// CI's test stage: the whole suite once; the files that failed run once more on their own, so a
// test that failed only because a shared 2-core runner was starved is told apart from a real
// failure. Every failure of the first run is printed at the end, with its message, either way:
// a flaky test is reported, never hidden. Exit 0 only when every failed file passed its rerun.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

// Usage: ci-tests.mjs NAME [vitest options...] [-- files...], e.g.
// `ci-tests.mjs agents --config test/agents/vitest.config.ts`. Files after `--` pick the first
// run's tests; the rerun takes only the files that failed.
const [name = 'tests', ...rest] = process.argv.slice(2);
const split = rest.indexOf('--');
const options = split === -1 ? rest : rest.slice(0, split);
const selection = split === -1 ? [] : rest.slice(split + 1);
const FIRST = `.tmp/ci-${name}.json`;
const RERUN = `.tmp/ci-${name}-rerun.json`;
/** The summary is also kept in a file, for .ci/run to print again as the log's last lines. */
const SUMMARY = `.tmp/ci-${name}-summary.txt`;

function report(line) {
  console.log(line);
  appendFileSync(SUMMARY, `${line}\n`);
}

function vitest(outputFile, files) {
  rmSync(outputFile, { force: true });
  const args = [
    'vitest',
    'run',
    ...options,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${outputFile}`,
    ...files,
  ];
  return spawnSync('npx', args, { stdio: 'inherit' }).status ?? 1;
}

function readResults(file) {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Failed tests as `file > describe > title` with the first lines of the failure. */
function failures(results) {
  const out = [];
  for (const file of results.testResults) {
    const path = relative(process.cwd(), file.name);
    const failed = file.assertionResults.filter((t) => t.status === 'failed');
    if (failed.length === 0 && file.status === 'failed')
      out.push({ path, name: '(the file itself)', message: file.message ?? '' });
    for (const test of failed) {
      let message = (test.failureMessages ?? []).join('\n');
      // vitest's JSON report loses the text of its own time-limit error.
      if (message.startsWith('Error: STACK_TRACE_ERROR'))
        message = `the test's time limit (its hang guard) ran out after ${Math.round(test.duration ?? 0)} ms`;
      out.push({ path, name: [...test.ancestorTitles, test.title].join(' > '), message });
    }
  }
  return out;
}

function print(title, list) {
  report(`\n${title}`);
  for (const f of list) {
    report(`  ✗ ${f.path} > ${f.name}`);
    for (const line of f.message
      .split('\n')
      .filter((l) => !/^\s+at /.test(l))
      .slice(0, 8))
      report(`      ${line}`);
  }
}

mkdirSync('.tmp', { recursive: true });
writeFileSync(SUMMARY, '');
const firstStatus = vitest(FIRST, selection);
const first = readResults(FIRST);
if (first === undefined) {
  report(`ci-${name}: vitest wrote no results (exit ${firstStatus})`);
  process.exit(firstStatus || 1);
}
const firstFailures = failures(first);
let status = firstStatus;
let rerunFailures = [];
if (firstFailures.length > 0) {
  const files = [...new Set(firstFailures.map((f) => f.path))];
  report(
    `\nci-${name}: ${firstFailures.length} failed in ${files.length} file(s); running those files once more alone`,
  );
  const rerunStatus = vitest(RERUN, files);
  const rerun = readResults(RERUN);
  rerunFailures = rerun === undefined ? firstFailures : failures(rerun);
  status = rerunStatus === 0 && rerunFailures.length === 0 ? 0 : 1;
}
if (firstFailures.length === 0 && firstStatus !== 0) {
  report(`\nci-${name}: vitest exited ${firstStatus} with no failed test (see "Unhandled Errors" above)`);
}
const skipped = first.numPendingTests + first.numTodoTests;
report(`\nci-${name}: ${first.numPassedTests} passed, ${first.numFailedTests} failed, ${skipped} skipped (first run)`);
if (firstFailures.length > 0) print('failed in the first run:', firstFailures);
if (rerunFailures.length > 0) print('failed again when rerun alone:', rerunFailures);
else if (firstFailures.length > 0)
  report(`\nci-${name}: every failed file passed when rerun alone (flaky under load; listed above)`);
process.exit(status);
