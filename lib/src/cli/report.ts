/** What a run leaves: the summary on stdout, and a standalone HTML page, JSON and CSV in the output folder. */
import { scalingChart } from '../charts/scaling';
import type { Figure } from '../charts/figure';
import { timelineChart } from '../charts/timeline';
import { wallTimeChart } from '../charts/wall';
import { messageOf } from '../core/errors';
import type { Comparison, Sweep } from '../core/measure';
import type { Environment, Run } from '../core/records';
import { isPoolMode } from '../core/modes';
import { median } from '../core/stats';
import { failuresOf, summarizeModes, summaryTable, warnings } from '../core/summary';
import { jsonOf, markdownTable, toCSV } from '../output/export';
import type { Outcome, Prepared } from './experiment';
import type { Measured } from './measure';

/** Two lines: the machine a run measured, and its parameters. */
export function describeRun(prepared: Prepared, measured: Measured): string {
  return describeEnv(measured.comparison.env, measured.comparison.params);
}

/** Two lines for an experiment that measures itself: the machine, and the parameters it ran with. */
export function describeEnv(env: Environment, params: Record<string, unknown>): string {
  const values = Object.entries(params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
  return `${env.cores} cores, ${env.cpuModel}, Node ${env.node}, ${env.date}\n${values}`;
}

/** Markdown findings as plain text for a terminal or a <pre> block: no **bold** markers. */
export function plainText(markdown: string): string {
  return markdown.replace(/\*\*/g, '');
}

export { csvLine, jsonOf } from '../output/export';

/** The run whose wall time is the median of its mode's runs (the one a timeline shows). */
export function medianRun<R extends Run>(runs: readonly R[]): R {
  const m = median(runs.map((r) => r.wallMs));
  return runs.reduce((best, r) => (Math.abs(r.wallMs - m) < Math.abs(best.wallMs - m) ? r : best));
}

/** What goes on stdout: the summary table, warnings, and the sweep's table. */
export function summaryText(prepared: Prepared, measured: Measured): string {
  const parts = [prepared.title, describeRun(prepared, measured), '', summaryTable(measured.comparison)];
  const warned = warnings(measured.comparison);
  if (warned.length) parts.push('', 'warnings:', ...warned.map((w) => `- ${w}`));
  if (measured.sweep) parts.push('', scalingChart(measured.sweep).table);
  return parts.join('\n');
}

/** Every figure of the page: wall time, a timeline per mode, and scaling after a sweep. */
export async function figures(prepared: Prepared, measured: Measured): Promise<(Figure | string)[]> {
  const { comparison, sweep } = measured;
  const items: (Figure | string)[] = [describeRun(prepared, measured), wallTimeChart(comparison)];
  const warned = warnings(comparison);
  if (warned.length) items.push(`warnings:\n${warned.map((w) => `- ${w}`).join('\n')}`);
  for (const mode of comparison.modes) {
    const runs = comparison.runs.filter((r) => r.mode === mode);
    const run = medianRun(runs);
    const pool = run.workers > 1 || isPoolMode(mode) ? ` (${run.workers} workers)` : '';
    items.push(
      timelineChart(run, {
        title: `Timeline: ${mode}${pool}, the median of ${runs.length} run${runs.length === 1 ? '' : 's'}`,
        cores: comparison.env.cores,
      }),
    );
  }
  for (const series of comparison.peers ?? []) {
    if (series.runs.length === 0) continue;
    const run = medianRun(series.runs);
    items.push(
      timelineChart(run, {
        title: `Timeline: ${series.label}, the median of ${series.runs.length} run${series.runs.length === 1 ? '' : 's'}`,
        cores: comparison.env.cores,
      }),
    );
  }
  if (sweep) items.push(scalingChart(sweep));
  if (prepared.extras) items.push(...(await prepared.extras(comparison, sweep)));
  return items;
}

/** One mode of a comparison as the JSON export states it, hyperfine's way: wall times of a whole pass, in ms. */
export interface ModeSummaryJson {
  mode: string;
  workers: number;
  mean: number;
  stddev: number;
  median: number;
  min: number;
  max: number;
  /** Sequential median / this mode's median (null without a sequential run). */
  speedup: number | null;
  /** Timed runs (passes over every input). */
  runs: number;
  /** The wall time of each run, in repeat order. */
  times: number[];
  /** Tasks that failed, over all runs. */
  failed: number;
}

/** Each mode's summary: mean, stddev, median, min, max, speedup, runs (ms). */
export function modeSummaries(comparison: Comparison): ModeSummaryJson[] {
  return summarizeModes(comparison).map((s) => ({
    mode: s.mode,
    workers: s.workers,
    mean: s.wall.mean,
    stddev: s.wall.sd,
    median: s.wall.median,
    min: s.wall.min,
    max: s.wall.max,
    speedup: s.speedup ?? null,
    runs: s.wall.n,
    times: comparison.runs.filter((r) => r.mode === s.mode).map((r) => r.wallMs),
    failed: s.failures.length,
  }));
}

const ms = (value: number) => value.toFixed(1);

/** The per-mode summary as a markdown table (times in ms). */
export function summaryMarkdown(comparison: Comparison): string {
  const rows = [
    ['mode', 'workers', 'mean [ms]', 'stddev [ms]', 'median [ms]', 'min [ms]', 'max [ms]', 'speedup', 'runs', 'failed'],
  ];
  for (const s of modeSummaries(comparison)) {
    rows.push([
      s.mode,
      String(s.workers),
      ms(s.mean),
      ms(s.stddev),
      ms(s.median),
      ms(s.min),
      ms(s.max),
      s.speedup === null ? '-' : `${s.speedup.toFixed(2)}x`,
      String(s.runs),
      String(s.failed),
    ]);
  }
  return markdownTable(rows);
}

/** Failed tasks of these runs: how many, and what the first one said. */
export function failureCount(runs: readonly Run[]): { failed: number; firstFailure?: string } {
  const failures = runs.flatMap((run) => failuresOf([run]).map((f) => ({ ...f, mode: run.mode })));
  const first = failures[0];
  return {
    failed: failures.length,
    firstFailure: first && `task ${first.index} (${first.mode}, repeat ${first.repeat + 1}): ${first.message}`,
  };
}

/**
 * JSON of a comparison or sweep; when every result together would be more than one string
 * can hold (V8 stops near 512 MB), the results are left out and the records kept.
 */
export function recordsJson(value: Comparison | Sweep, extra: Record<string, unknown> = {}): string {
  try {
    return jsonOf({ ...extra, ...value });
  } catch (error) {
    const note = `results left out: together they are too large for one JSON file (${messageOf(error)})`;
    const slim = (runs: readonly Run[]) => runs.map((run) => ({ ...run, results: run.results.map(() => null) }));
    const lean =
      'points' in value
        ? { ...value, baseline: slim(value.baseline), points: value.points.map((p) => ({ ...p, runs: slim(p.runs) })) }
        : { ...value, runs: slim(value.runs) };
    return jsonOf({ note, ...extra, ...lean });
  }
}

/** A comparison (and sweep) as an outcome: the summary, the page, the records and each mode's summary as JSON, CSV. */
export async function compareOutcome(prepared: Prepared, measured: Measured): Promise<Outcome> {
  const { comparison, sweep } = measured;
  const runs = sweep
    ? [...comparison.runs, ...sweep.baseline, ...sweep.points.flatMap((p) => p.runs)]
    : comparison.runs;
  return {
    summary: summaryText(prepared, measured),
    items: await figures(prepared, measured),
    json: recordsJson(comparison, { summaries: modeSummaries(comparison) }),
    csv: toCSV(comparison),
    markdown: summaryMarkdown(comparison),
    more: sweep ? { 'sweep.json': recordsJson(sweep), 'sweep.csv': toCSV(sweep) } : undefined,
    ...failureCount(runs),
  };
}
