/** Wall time per row: median bars with min-max error bars, every run as a point, speedup and the ideal. */
import type { Comparison } from '../core/measure';
import { formatMs, summaries, summaryTable } from '../core/summary';
import { baseLayout, colorOf, COLORS, patternOf, type Figure, type Trace } from './figure';

/** Options of the wall-time chart. */
export interface WallTimeOptions {
  /** Chart title (default: "<workload>: wall time per mode, <n> tasks"). */
  title?: string;
  /**
   * The best possible time per row (by label), in ms, to mark on each bar. Default, for CPU
   * work: the row's baseline median / its ideal speedup.
   */
  idealMs?: Partial<Record<string, number>>;
  /** What the ideal marks are called in the legend. */
  idealLabel?: string;
  /** Only these rows, by label (default: every row). */
  rows?: readonly string[];
}

/**
 * The wall-time chart of a comparison: a bar per row (a Python program's hatched in a lighter
 * shade of its mode's colour, a Node pool timed end to end dotted), each labelled with its
 * speedup over the row it is read against.
 */
export function wallTimeChart(comparison: Comparison, options: WallTimeOptions = {}): Figure {
  const all = summaries(comparison);
  const shown = options.rows ? all.filter((s) => options.rows!.includes(s.label)) : all;
  const x = shown.map((s) => s.label);
  const seconds = (ms: number) => ms / 1000;
  const patterned = shown.some((s) => patternOf(s));
  const bars: Trace = {
    type: 'bar',
    name: 'median',
    x,
    y: shown.map((s) => seconds(s.wall.median)),
    marker: {
      color: shown.map(colorOf),
      ...(patterned ? { pattern: { shape: shown.map(patternOf), fgcolor: '#444', fgopacity: 0.35 } } : {}),
    },
    error_y: {
      type: 'data',
      symmetric: false,
      array: shown.map((s) => seconds(s.wall.max - s.wall.median)),
      arrayminus: shown.map((s) => seconds(s.wall.median - s.wall.min)),
    },
    text: shown.map((s) =>
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
  const runs = comparison.runs.filter((r) => x.includes(r.label));
  const points: Trace = {
    type: 'scatter',
    mode: 'markers',
    name: 'each run',
    x: runs.map((r) => r.label),
    y: runs.map((r) => seconds(r.wallMs)),
    marker: { color: '#444', size: 6, symbol: 'circle-open' },
    hovertemplate: '%{x}: %{y:.3f} s<extra>one run</extra>',
  };
  const ideals = shown.map((s) => {
    const given = options.idealMs?.[s.label];
    if (given !== undefined) return given;
    return s.speedup === undefined ? undefined : (s.speedup * s.wall.median) / s.idealSpeedup;
  });
  const traces: Trace[] = [bars, points];
  if (ideals.some((v) => v !== undefined)) {
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: options.idealLabel ?? 'ideal: its baseline / min(workers, cores, tasks)',
      x,
      y: ideals.map((v) => (v === undefined ? null : seconds(v))),
      marker: { symbol: 'line-ew-open', size: 44, color: COLORS.ideal, line: { width: 3, color: COLORS.ideal } },
      hovertemplate: '%{x}: ideal %{y:.3f} s<extra></extra>',
    });
  }
  const title = options.title ?? `${comparison.workload}: wall time per mode, ${comparison.tasks} tasks`;
  const table = [
    summaryTable(comparison),
    ...ideals.flatMap((v, i) => (v === undefined ? [] : [`ideal ${x[i]}: ${formatMs(v)}`])),
  ];
  return {
    title,
    data: traces,
    layout: baseLayout(title, comparison.env, {
      yaxis: { title: { text: 'wall time (s)' }, rangemode: 'tozero' },
      showlegend: true,
    }),
    table: table.join('\n'),
  };
}
