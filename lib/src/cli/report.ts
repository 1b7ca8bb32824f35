/** What a run leaves: the summary on stdout, and a standalone HTML page, JSON and CSV in the output folder. */
import fs from 'node:fs';
import path from 'node:path';
import { scalingChart } from '../charts/scaling';
import type { Figure } from '../charts/figure';
import { timelineChart } from '../charts/timeline';
import { wallTimeChart } from '../charts/wall';
import { page } from '../output/display';
import { toCSV, toJSON } from '../output/export';
import type { Environment, Run } from '../core/records';
import { median } from '../core/stats';
import { summaryTable, warnings } from '../core/summary';
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
    const pool = run.workers > 1 || mode === 'threads' || mode === 'processes' ? ` (${run.workers} workers)` : '';
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

/** A comparison (and sweep) as an outcome: the summary, the page, and the records as JSON and CSV. */
export async function compareOutcome(prepared: Prepared, measured: Measured): Promise<Outcome> {
  const { comparison, sweep } = measured;
  return {
    summary: summaryText(prepared, measured),
    items: await figures(prepared, measured),
    json: toJSON(comparison),
    csv: toCSV(comparison),
    more: sweep ? { 'sweep.json': toJSON(sweep), 'sweep.csv': toCSV(sweep) } : undefined,
  };
}

/** Writes `<name>.html`, `<name>.json`, `<name>.csv` (and `<name>-<more>`) into `dir`; returns their paths. */
export function writeOutcome(dir: string, name: string, title: string, outcome: Outcome): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    html: page(title, outcome.items),
    json: outcome.json.endsWith('\n') ? outcome.json : `${outcome.json}\n`,
    csv: outcome.csv,
  };
  const named: [string, string][] = [
    ...Object.entries(files).map(([ext, text]): [string, string] => [`${name}.${ext}`, text]),
    ...Object.entries(outcome.more ?? {}).map(([suffix, text]): [string, string] => [`${name}-${suffix}`, text]),
  ];
  return named.map(([fileName, text]) => {
    const file = path.join(dir, fileName);
    fs.writeFileSync(file, text);
    return file;
  });
}
