/** Wall time per mode: median bars with min-max error bars, every run as a point, speedup and the ideal. */
import type { Comparison } from '../core/measure';
import { isPoolMode } from '../core/modes';
import { formatMs, summarizeModes, summaryTable } from '../core/summary';
import { baseLayout, COLORS, type Figure, type Trace } from './figure';

/** Options of the wall-time chart. */
export interface WallTimeOptions {
  /** Chart title (default: "<workload>: wall time per mode"). */
  title?: string;
  /**
   * The best possible time per mode, in ms, to mark on each bar. Default, for CPU work:
   * sequential median / min(workers, cores, tasks) for pools, and the sequential median otherwise.
   */
  idealMs?: Partial<Record<string, number>>;
  /** What the ideal marks are called in the legend. */
  idealLabel?: string;
}

/** Builds the wall-time chart of a comparison. */
export function wallTimeChart(comparison: Comparison, options: WallTimeOptions = {}): Figure {
  const summaries = summarizeModes(comparison);
  const seq = summaries.find((s) => s.mode === 'sequential');
  const label = (mode: string, workers: number) => (isPoolMode(mode) ? `${mode} (${workers})` : mode);
  const x = summaries.map((s) => label(s.mode, s.workers));
  const seconds = (ms: number) => ms / 1000;
  const bars: Trace = {
    type: 'bar',
    name: 'median',
    x,
    y: summaries.map((s) => seconds(s.wall.median)),
    marker: { color: summaries.map((s) => COLORS[s.mode]) },
    error_y: {
      type: 'data',
      symmetric: false,
      array: summaries.map((s) => seconds(s.wall.max - s.wall.median)),
      arrayminus: summaries.map((s) => seconds(s.wall.median - s.wall.min)),
    },
    text: summaries.map((s) =>
      [
        s.speedup === undefined ? '' : `${s.speedup.toFixed(2)}x`,
        s.failures.length ? `${s.failures.length} failed` : '',
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    textposition: 'outside',
    hovertemplate: '%{x}: median %{y:.3f} s<extra></extra>',
  };
  const points: Trace = {
    type: 'scatter',
    mode: 'markers',
    name: 'each run',
    x: comparison.runs.map((r) => label(r.mode, r.workers)),
    y: comparison.runs.map((r) => seconds(r.wallMs)),
    marker: { color: '#444', size: 6, symbol: 'circle-open' },
    hovertemplate: '%{x}: %{y:.3f} s<extra>one run</extra>',
  };
  const ideals = summaries.map((s) => {
    const given = options.idealMs?.[s.mode];
    if (given !== undefined) return given;
    return seq ? seq.wall.median / s.idealSpeedup : undefined;
  });
  const traces: Trace[] = [bars, points];
  if (ideals.some((v) => v !== undefined)) {
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: options.idealLabel ?? 'ideal: sequential / min(workers, cores, tasks)',
      x,
      y: ideals.map((v) => (v === undefined ? null : seconds(v))),
      marker: { symbol: 'line-ew-open', size: 44, color: COLORS.ideal, line: { width: 3, color: COLORS.ideal } },
      hovertemplate: '%{x}: ideal %{y:.3f} s<extra></extra>',
    });
  }
  const title = options.title ?? `${comparison.workload}: wall time per mode, ${comparison.tasks} tasks`;
  const tableLines = [summaryTable(comparison)];
  ideals.forEach((v, i) => {
    if (v !== undefined) tableLines.push(`ideal ${x[i]}: ${formatMs(v)}`);
  });
  return {
    title,
    data: traces,
    layout: baseLayout(title, comparison.env.cores, {
      yaxis: { title: { text: 'wall time (s)' }, rangemode: 'tozero' },
      showlegend: true,
    }),
    table: tableLines.join('\n'),
  };
}
