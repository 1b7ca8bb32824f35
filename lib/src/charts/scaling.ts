/** Scaling: speedup against pool size, each over the one-worker pool, with the ideal and an Amdahl fit. */
import { amdahl } from '../core/amdahl';
import type { Comparison } from '../core/measure';
import { formatMs, scalingPoints, textTable } from '../core/summary';
import { baseLayout, COLORS, type Figure } from './figure';

/** Builds the scaling chart of a sweep (or of any comparison with several sizes of one pool mode). */
export function scalingChart(comparison: Comparison, options: { title?: string; mode?: string } = {}): Figure {
  const { mode, baselineMs, serialFraction, points } = scalingPoints(comparison, options.mode as never);
  const x = points.map((p) => p.workers);
  const title = options.title ?? `${comparison.workload}: speedup vs ${mode} pool size, ${comparison.tasks} tasks`;
  const rows = [['workers', 'median', 'speedup', 'ideal', 'amdahl', 'start-up']];
  for (const p of points) {
    rows.push([
      String(p.workers),
      formatMs(p.medianMs),
      `${p.speedup.toFixed(2)}x`,
      `${p.effective}x`,
      `${amdahl(serialFraction, p.effective).toFixed(2)}x`,
      formatMs(p.startupMs),
    ]);
  }
  return {
    title,
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: `measured (one worker = ${formatMs(baselineMs)})`,
        x,
        y: points.map((p) => p.speedup),
        error_y: {
          type: 'data',
          symmetric: false,
          array: points.map((p) => p.maxSpeedup - p.speedup),
          arrayminus: points.map((p) => p.speedup - p.minSpeedup),
        },
        line: { color: COLORS[mode] },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'ideal: min(workers, cores, tasks)',
        x,
        y: points.map((p) => p.effective),
        line: { color: COLORS.ideal, dash: 'dash' },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: `Amdahl fit: serial fraction ${(serialFraction * 100).toFixed(1)}%`,
        x,
        y: points.map((p) => amdahl(serialFraction, p.effective)),
        line: { color: '#999', dash: 'dot' },
      },
    ],
    layout: baseLayout(title, comparison.env, {
      xaxis: { title: { text: 'pool size (workers)' }, dtick: 1 },
      yaxis: { title: { text: 'speedup over one worker' }, rangemode: 'tozero' },
    }),
    table: `${textTable(rows)}\none worker's median: ${formatMs(baselineMs)}; fitted serial fraction: ${(serialFraction * 100).toFixed(1)}%`,
  };
}
