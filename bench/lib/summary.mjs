// The final table of bench/run.mjs: one row per figure, its budget, and how it compares.

/** Verdict of one figure against its row's budget: ok, over/under, or info. */
export function judge(row, value) {
  if (typeof value !== 'number' || Number.isNaN(value)) return { ratio: '', verdict: 'MISSING', pass: false };
  if (row.max !== undefined) {
    const pass = row.below ? value < row.max : value <= row.max;
    const aimed = row.aim === undefined || value <= row.aim ? 'ok' : 'ok (over aim)';
    return { ratio: `${(value / row.max).toFixed(2)}× budget`, verdict: pass ? aimed : 'OVER', pass };
  }
  if (row.min !== undefined) {
    const ratio = value / row.min;
    return { ratio: `${ratio.toFixed(2)}× budget`, verdict: ratio >= 1 ? 'ok' : 'UNDER', pass: ratio >= 1 };
  }
  return { ratio: '', verdict: 'info', pass: true };
}

function budgetText(row) {
  const unit = row.unit === '×' ? '×' : ` ${row.unit}`;
  if (row.max !== undefined)
    return `${row.below ? '<' : '≤'} ${row.max}${unit}${row.aim === undefined ? '' : ` (aim ${row.aim}${unit})`}`;
  if (row.min !== undefined) return `≥ ${row.min.toLocaleString('en-US')}${unit}`;
  return '—';
}

function figureText(row, value) {
  if (typeof value !== 'number') return 'n/a';
  if (row.unit === '×') return `${value.toFixed(2)}×`;
  if (row.unit === 'msg/s') return `${Math.round(value).toLocaleString('en-US')} msg/s`;
  if (row.unit === 'MiB' || row.unit === 'MB') return `${value.toFixed(1)} ${row.unit}`;
  if (row.unit === '%') return `${value.toFixed(1)} %`;
  if (row.unit === 'µs') return `${value.toFixed(1)} µs`;
  return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
}

/**
 * Renders the summary for `results` (bench name → parsed JSON line, or an Error when the
 * bench failed); returns the text and whether every budget held.
 */
export function renderSummary(benches, results) {
  const table = [['bench', 'figure', 'value', 'budget', 'ratio', 'verdict']];
  let allPass = true;
  for (const bench of benches) {
    const result = results.get(bench.name);
    if (!(result && !(result instanceof Error))) {
      table.push([bench.name, '(bench failed)', String(result?.message ?? 'not run').slice(0, 60), '', '', 'FAILED']);
      allPass = false;
      continue;
    }
    for (const row of bench.rows) {
      const verdict = judge(row, result[row.key]);
      allPass &&= verdict.pass;
      table.push([
        bench.name,
        row.label,
        figureText(row, result[row.key]),
        budgetText(row),
        verdict.ratio,
        verdict.verdict,
      ]);
    }
  }
  const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
  const lines = table.map((cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  return { text: lines.join('\n'), allPass };
}
