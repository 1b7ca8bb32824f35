/** Reading a comparison: per-row statistics, speedups against each row's baseline, the ideal, failures, warnings. */
import { fitSerialFraction } from './amdahl';
import { isPoolMode } from './modes';
import { runsOf, type Comparison } from './plan';
import type { Row } from './records';
import { median, NOISY_CV, summarize, type Summary } from './stats';
import { count, percent } from './words';

interface RowSummary extends Row {
  wall: Summary;
  /** The baseline's median / this median (undefined without a baseline). */
  speedup?: number;
  /** The most CPU work can gain over the baseline: min(workers, cores, tasks) over the same for the baseline, for pools; else 1. */
  idealSpeedup: number;
  /** Failed tasks of all its runs: the task's index, its error message and its run. */
  failures: { index: number; message: string; repeat: number }[];
}

function parallelism(row: Pick<Row, 'mode' | 'workers' | 'tasks'>, cores: number): number {
  return isPoolMode(row.mode) ? Math.max(1, Math.min(row.workers, cores, row.tasks || row.workers)) : 1;
}

/** Findings read the summaries of a comparison many times: computed again only when its runs, rows or env change. */
const read = new WeakMap<Comparison, Pick<Comparison, 'runs' | 'rows' | 'env'> & { n: number; list: RowSummary[] }>();

/** Every row of a comparison summarised, in order; rows without a run (a peer that failed) are left out. */
export function summaries(comparison: Comparison): RowSummary[] {
  const { runs, rows, env } = comparison;
  const known = read.get(comparison);
  if (known?.runs === runs && known.n === runs.length && known.env === env && known.rows === rows)
    return [...known.list];
  const summarised = rows.flatMap((row) => {
    const own = runsOf(comparison, row.label);
    if (own.length === 0) return [];
    const wall = summarize(own.map((r) => r.wallMs));
    const base = rows.find((r) => r.label === row.baseline);
    const baseWalls = base ? runsOf(comparison, base.label).map((r) => r.wallMs) : [];
    const failures = own.flatMap((run) =>
      run.tasks.failed().map((t) => ({ index: t.index, message: t.error ?? 'failed', repeat: run.repeat })),
    );
    const speedup = baseWalls.length ? median(baseWalls) / wall.median : undefined;
    const idealSpeedup = base ? parallelism(row, env.cores) / parallelism(base, env.cores) : 1;
    return [{ ...row, wall, speedup, idealSpeedup, failures }];
  });
  read.set(comparison, { runs, rows, env, n: runs.length, list: summarised });
  return [...summarised];
}

/** The numbers behind the scaling chart of `mode`'s rows (default: the first pool mode's), and the fitted serial fraction. */
export function scalingPoints(comparison: Comparison, mode = comparison.rows.find((r) => isPoolMode(r.mode))?.mode) {
  const all = summaries(comparison);
  // Warm pools only (an end-to-end row pays its start-up), each against the mode's own one worker.
  const rows = all
    .filter((s) => s.mode === mode && s.origin === 'node' && !s.startupIncluded)
    .sort((a, b) => a.workers - b.workers);
  const base =
    rows.find((r) => r.workers === 1) ?? all.find((s) => s.label === rows.find((r) => r.baseline)?.baseline) ?? rows[0];
  const baselineMs = base?.wall.median ?? NaN;
  const points = rows.map((s) => ({
    workers: s.workers,
    /** Processors the pool can really use: min(workers, cores, tasks). */
    effective: parallelism(s, comparison.env.cores),
    medianMs: s.wall.median,
    speedup: baselineMs / s.wall.median,
    minSpeedup: baselineMs / s.wall.max,
    maxSpeedup: baselineMs / s.wall.min,
    startupMs: s.startupMs,
  }));
  const fit = points.map((p) => ({ n: p.effective, speedup: p.speedup }));
  return { mode: mode ?? 'threads', baselineMs, serialFraction: points.length ? fitSerialFraction(fit) : NaN, points };
}

/** Human-readable warnings: skipped peers, rows that ran other work, noisy timings, failed tasks. Empty when all is well. */
export function warnings(comparison: Comparison): string[] {
  const out: string[] = [];
  for (const reason of new Set(comparison.skipped.map((s) => s.reason))) {
    const labels = comparison.skipped.filter((s) => s.reason === reason).map((s) => s.label);
    out.push(`${labels.join(', ')}: not run; ${reason}`);
  }
  for (const row of comparison.rows.filter((r) => r.origin !== 'node')) {
    const ran = runsOf(comparison, row.label).find((r) => r.tasks.length !== comparison.tasks)?.tasks.length;
    const where = `where the modes ran ${comparison.tasks}; its times do not compare`;
    if (ran !== undefined && comparison.tasks > 0) out.push(`${row.label}: ran ${ran} tasks a run ${where}`);
  }
  for (const s of summaries(comparison)) {
    const advice = 'close other programs or add runs before trusting small differences';
    if (s.wall.n > 1 && s.wall.cv > NOISY_CV)
      out.push(`${s.label}: timings vary by ${percent(s.wall.cv)} between runs; ${advice}`);
    const [first] = s.failures;
    if (first) {
      const failed = `${count(s.failures.length, 'task')} failed`;
      out.push(`${s.label}: ${failed}; first: task ${first.index} (run ${first.repeat + 1}): ${first.message}`);
    }
  }
  return out;
}

/** Formats milliseconds for people: "850 ms", "4.20 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

/** Lays out rows as a fixed-width text table (first row is the header). */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The comparison as a plain-text table, each speedup against the row under "vs" (start-up "incl." in its times). */
export function summaryTable(comparison: Comparison): string {
  const rows = summaries(comparison).map((s) => [
    s.label,
    String(s.workers),
    formatMs(s.wall.median),
    formatMs(s.wall.min),
    formatMs(s.wall.max),
    `${(s.wall.cv * 100).toFixed(0)}%`,
    String(s.wall.n),
    s.baseline ?? '-',
    s.speedup === undefined ? '-' : `${s.speedup.toFixed(2)}x`,
    s.baseline ? `${+s.idealSpeedup.toFixed(2)}x` : '-',
    s.startupMs ? `${formatMs(s.startupMs)}${s.startupIncluded ? ' incl.' : ''}` : '-',
    String(s.failures.length),
  ]);
  const header = ['row', 'workers', 'median', 'min', 'max', 'cv', 'runs', 'vs', 'speedup', 'CPU ideal', 'start-up'];
  const skipped = comparison.skipped.map((s) => `not run: ${s.label}: ${s.reason}`);
  return [textTable([[...header, 'failed'], ...rows]), ...skipped].join('\n');
}
