// The figures the issue's closing note asks for (send → model latency, up → ready), printed and
// appended to .tmp/agents-figures.jsonl so a run leaves them behind.
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const FILE = resolve(import.meta.dirname, '../../../.tmp/agents-figures.jsonl');

/** Records one measurement (and its budget, if it has one). */
export function recordFigure(cli: string, name: string, ms: number, budgetMs?: number): void {
  const line = {
    at: new Date().toISOString(),
    cli,
    name,
    ms,
    ...(budgetMs === undefined ? {} : { budget_ms: budgetMs }),
  };
  const unit = name.endsWith('_ms') ? ' ms' : '';
  console.log(`[agents] ${cli} ${name} = ${ms}${unit}${budgetMs === undefined ? '' : ` (budget ${budgetMs} ms)`}`);
  mkdirSync(resolve(FILE, '..'), { recursive: true });
  appendFileSync(FILE, `${JSON.stringify(line)}\n`);
}
