// Renders the suite's result rows as a plain-text table (also pasted into docs/reliability.md).

const COLUMNS = [
  ['scenario', 'scenario'],
  ['load', 'load'],
  ['faults', 'faults injected'],
  ['accepted', 'accepted'],
  ['delivered', 'delivered'],
  ['lost', 'lost'],
  ['duplicated', 'dup'],
  ['maxLatency', 'max latency'],
  ['extra', 'notes'],
  ['verdict', 'result'],
];

/** A markdown-compatible table of `rows` (objects with the COLUMNS keys). */
export function renderTable(rows) {
  const cells = rows.map((row) => COLUMNS.map(([key]) => String(row[key] ?? '')));
  const header = COLUMNS.map(([, title]) => title);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((r) => r[i].length)));
  const line = (values) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/** "123 ms" or "—". */
export function ms(value) {
  return value === undefined || !Number.isFinite(value) ? '—' : `${Math.round(value)} ms`;
}
