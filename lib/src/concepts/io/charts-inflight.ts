/** Requests in flight over time, as the server saw them: the server's own view of concurrency. */
import type { IoExperiment } from './run';
import { inflightSeries, meanInflight, peakInflight } from './server/log';
import { formatMs, textTable } from '../../core/summary';
import { variantColor } from './charts';
import { baseLayout, type Figure, type Trace } from '../../charts/figure';

/** Options of the in-flight chart. */
export interface InflightOptions {
  title?: string;
  /** Which timed run of each variant to draw (default 0, the first). */
  repeat?: number;
  /** Only these variants, by label (default all). */
  variants?: readonly string[];
}

/** One step line per variant: requests open on the server against ms since that run started. */
export function inflightChart(experiment: IoExperiment, options: InflightOptions = {}): Figure {
  const repeat = options.repeat ?? 0;
  const chosen = experiment.variants.filter((v) => !options.variants || options.variants.includes(v.variant.label));
  const rows = [['variant', 'run', 'requests seen', 'peak', 'mean', 'span']];
  const traces: Trace[] = [];
  for (const v of chosen) {
    const i = v.comparison.runs.findIndex((r) => r.repeat === repeat);
    const run = v.comparison.runs[i];
    const records = v.serverRecords[i] ?? [];
    if (!run || records.length === 0) continue;
    const points = inflightSeries(records);
    const x = [0, ...points.map((p) => p.t - run.start), run.end - run.start];
    const y = [0, ...points.map((p) => p.inflight), 0];
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: v.variant.label,
      x,
      y,
      line: { shape: 'hv', color: variantColor({ mode: v.variant.mode, label: v.variant.label }) },
      hovertemplate: `${v.variant.label}: %{y} in flight at %{x:.1f} ms<extra></extra>`,
    });
    rows.push([
      v.variant.label,
      `#${repeat}`,
      String(records.length),
      String(peakInflight(records)),
      meanInflight(records).toFixed(1),
      formatMs(points[points.length - 1]!.t - points[0]!.t),
    ]);
  }
  const title = options.title ?? 'Requests in flight, as the server saw them';
  return {
    title,
    data: traces,
    layout: baseLayout(title, experiment.env.cores, {
      xaxis: { title: { text: 'ms since the run started' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'requests in flight' }, rangemode: 'tozero' },
    }),
    table:
      traces.length > 0
        ? textTable(rows)
        : 'no server records: the requests went to real URLs, whose servers do not report to us',
  };
}
