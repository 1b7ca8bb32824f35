/** Wall time per mode: median bars with min-max error bars, every run as a point, speedup and the ideal. */
import type { Comparison } from '../core/measure';
import type { Run } from '../core/records';
import { formatMs, rowName, summarizeAll, summaryTable, type ModeSummary } from '../core/summary';
import { baseLayout, colorOf, COLORS, patternOf, type Figure, type Trace } from './figure';

/** Options of the wall-time chart. */
export interface WallTimeOptions {
  /** Chart title (default: "<workload>: wall time per mode"). */
  title?: string;
  /**
   * The best possible time per mode (or peer label), in ms, to mark on each bar. Default,
   * for CPU work: sequential median / min(workers, cores, tasks) for pools, and the
   * sequential median otherwise; a peer's from its own origin's sequential run.
   */
  idealMs?: Partial<Record<string, number>>;
  /** What the ideal marks are called in the legend. */
  idealLabel?: string;
}

/** A bar's name: a peer's label, or the mode with its pool size. */
function barName(row: Pick<ModeSummary, 'mode' | 'workers' | 'label'> | Run): string {
  if (row.label) return row.label;
  return row.mode === 'threads' || row.mode === 'processes' ? `${row.mode} (${row.workers})` : row.mode;
}

/**
 * Builds the wall-time chart of a comparison: a bar per mode, then one per peer (Python's
 * hatched in a lighter shade of its mode's colour, Node's pools timed end to end dotted).
 */
export function wallTimeChart(comparison: Comparison, options: WallTimeOptions = {}): Figure {
  const summaries = summarizeAll(comparison);
  const x = summaries.map(barName);
  const seconds = (ms: number) => ms / 1000;
  const peers = summaries.some((s) => s.origin);
  const bars: Trace = {
    type: 'bar',
    name: 'median',
    x,
    y: summaries.map((s) => seconds(s.wall.median)),
    marker: {
      color: summaries.map(colorOf),
      ...(peers ? { pattern: { shape: summaries.map(patternOf), fgcolor: '#444', fgopacity: 0.35 } } : {}),
    },
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
  const runs = [...comparison.runs, ...(comparison.peers ?? []).flatMap((p) => p.runs)];
  const points: Trace = {
    type: 'scatter',
    mode: 'markers',
    name: 'each run',
    x: runs.map(barName),
    y: runs.map((r) => seconds(r.wallMs)),
    marker: { color: '#444', size: 6, symbol: 'circle-open' },
    hovertemplate: '%{x}: %{y:.3f} s<extra>one run</extra>',
  };
  const ideals = summaries.map((s) => {
    const given = options.idealMs?.[rowName(s)];
    if (given !== undefined) return given;
    // The sequential median of the row's own side: speedup x median.
    return s.speedup === undefined ? undefined : (s.speedup * s.wall.median) / s.idealSpeedup;
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
