/** Wall time per row: median bars with min-max error bars, every run as a point, speedup and the ideal. */
import type { Comparison } from '../core/measure';
import { formatMs, summaries, summaryTable } from '../core/summary';
import { baseLayout, colorOf, COLORS, patternOf, type Figure, type Trace } from './figure';

/** The wall-time chart: a bar per row (Python's hatched, end-to-end pools dotted), labelled with its speedup. */
export function wallTimeChart(comparison: Comparison, options: { title?: string } = {}): Figure {
  const shown = summaries(comparison);
  const x = shown.map((s) => s.label);
  const seconds = (ms: number) => ms / 1000;
  const bars: Trace = {
    type: 'bar',
    name: 'median',
    x,
    y: shown.map((s) => seconds(s.wall.median)),
    marker: {
      color: shown.map(colorOf),
      ...(shown.some(patternOf) ? { pattern: { shape: shown.map(patternOf), fgcolor: '#444', fgopacity: 0.35 } } : {}),
    },
    error_y: {
      type: 'data',
      symmetric: false,
      array: shown.map((s) => seconds(s.wall.max - s.wall.median)),
      arrayminus: shown.map((s) => seconds(s.wall.median - s.wall.min)),
    },
    text: shown.map((s) => {
      const failed = s.failures.length ? `${s.failures.length} failed` : '';
      return [s.speedup === undefined ? '' : `${s.speedup.toFixed(2)}x`, failed].filter(Boolean).join(' · ');
    }),
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
  // The best possible time: its baseline's median over its ideal speedup.
  const ideals = shown.map((s) => (s.speedup === undefined ? undefined : (s.speedup * s.wall.median) / s.idealSpeedup));
  const traces: Trace[] = [bars, points];
  if (ideals.some((v) => v !== undefined)) {
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: 'ideal: its baseline / min(workers, cores, tasks)',
      x,
      y: ideals.map((v) => (v === undefined ? null : seconds(v))),
      marker: { symbol: 'line-ew-open', size: 44, color: COLORS.ideal, line: { width: 3, color: COLORS.ideal } },
      hovertemplate: '%{x}: ideal %{y:.3f} s<extra></extra>',
    });
  }
  const title = options.title ?? `${comparison.workload}: wall time per mode, ${comparison.tasks} tasks`;
  const idealLines = ideals.flatMap((v, i) => (v === undefined ? [] : [`ideal ${x[i]}: ${formatMs(v)}`]));
  return {
    title,
    data: traces,
    layout: baseLayout(title, comparison.env, {
      yaxis: { title: { text: 'wall time (s)' }, rangemode: 'tozero' },
      showlegend: true,
    }),
    table: [summaryTable(comparison), ...idealLines].join('\n'),
  };
}
