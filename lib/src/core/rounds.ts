/** How many timed runs each row gets (a fixed count, or hyperfine's adaptive rule), in turns: a slow moment hits each alike. */
import { now } from './clock';
import type { Row, Run } from './records';
import { median, NOISY_CV, summarize } from './stats';
import * as check from './validate';

/** Where a measurement is, in the row running: reported after every task. */
export interface Progress extends Pick<Row, 'label' | 'mode' | 'workers'> {
  /** 0-based run of this row; -1 while warming up. */
  repeat: number;
  /** Runs planned for this row so far (adaptive runs may add some after each run). */
  repeats: number;
  done: number;
  total: number;
  /** Since the measurement started, and since this run started (the rate of tasks is done / runMs). */
  elapsedMs: number;
  runMs: number;
}

/** Defaults of every measurement option. */
export const DEFAULTS = { warmup: 1, minRuns: 2, budgetMs: 3000, maxRuns: 50 } as const;

/** How many timed passes each row gets: a fixed count, or the adaptive rule. */
type RunRule = { fixed: number } | { minRuns: number; budgetMs: number; maxRuns: number };

export function checkRuns(options: Partial<Record<'repeats' | 'minRuns' | 'maxRuns' | 'budgetMs', number>>): RunRule {
  if (options.repeats !== undefined) return { fixed: check.integer('repeats', options.repeats, 1, 1000) };
  const minRuns = check.integer('minRuns', options.minRuns ?? DEFAULTS.minRuns, 1, 1000);
  const maxRuns = check.integer('maxRuns', options.maxRuns ?? Math.max(DEFAULTS.maxRuns, minRuns), minRuns, 10_000);
  const budgetMs = check.finite('budgetMs', options.budgetMs ?? DEFAULTS.budgetMs, 0, 86_400_000);
  return { minRuns, budgetMs, maxRuns };
}

/** Whether a row whose timed passes took `walls` ms runs again; `costs` is what each cost in all (a peer starting up). */
export function wantsAnotherRun(rule: RunRule, walls: readonly number[], costs: readonly number[] = walls): boolean {
  const n = walls.length;
  if ('fixed' in rule) return n < rule.fixed;
  if (n < rule.minRuns) return true;
  if (n >= rule.maxRuns) return false;
  const spent = costs.reduce((a, b) => a + b, 0);
  if (spent < rule.budgetMs) return true;
  return n >= 2 && summarize(walls).cv > NOISY_CV && spent < 3 * rule.budgetMs;
}

/** The runs a row is expected to get, for progress: the fixed count, or an estimate from its runs so far. */
function plannedRuns(rule: RunRule, walls: readonly number[], costs: readonly number[]): number {
  if ('fixed' in rule) return rule.fixed;
  if (costs.length === 0) return rule.minRuns;
  const typical = median(costs);
  const byBudget = typical > 0 ? Math.ceil(rule.budgetMs / typical) : rule.maxRuns;
  const next = walls.length + (wantsAnotherRun(rule, walls, costs) ? 1 : 0);
  return Math.max(next, Math.min(rule.maxRuns, Math.max(rule.minRuns, byBudget)));
}

/** Takes timed runs of every row in rounds until each has what `rule` asks; the order rotates from round to round. */
export async function takeTurns(
  rows: readonly ((repeat: number, repeats: number) => Promise<Run>)[],
  rule: RunRule,
): Promise<Run[][]> {
  const done = rows.map((once) => ({ once, runs: [] as Run[], walls: [] as number[], costs: [] as number[] }));
  for (let round = 0; ; round++) {
    const due = done.filter((row) => wantsAnotherRun(rule, row.walls, row.costs));
    if (due.length === 0) return done.map((row) => row.runs);
    for (let k = 0; k < due.length; k++) {
      const row = due[(k + round) % due.length]!;
      const began = now();
      const run = await row.once(row.runs.length, plannedRuns(rule, row.walls, row.costs));
      row.runs.push(run);
      row.walls.push(run.wallMs);
      row.costs.push(Math.max(run.wallMs, now() - began)); // more than its wall time for a peer that must start
    }
  }
}
