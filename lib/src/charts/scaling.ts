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
  const rows = [
    ['workers', 'median', 'speedup', 'ideal', 'amdahl', 'start-up'],
    ...points.map((p) => [
      String(p.workers),
      formatMs(p.medianMs),
      `${p.speedup.toFixed(2)}x`,
      `${p.effective}x`,
      `${amdahl(serialFraction, p.effective).toFixed(2)}x`,
      formatMs(p.startupMs),
    ]),
  ];
  const fraction = `${(serialFraction * 100).toFixed(1)}%`;
  // A line over the pool sizes: `y` of the processors each can really use.
  const curve = (name: string, y: (n: number) => number, color: string, dash: string) => {
    return { type: 'scatter', mode: 'lines', name, x, y: points.map((p) => y(p.effective)), line: { color, dash } };
  };
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
      curve('ideal: min(workers, cores, tasks)', (n) => n, COLORS.ideal!, 'dash'),
      curve(`Amdahl fit: serial fraction ${fraction}`, (n) => amdahl(serialFraction, n), '#999', 'dot'),
    ],
    layout: baseLayout(title, comparison.env, {
      xaxis: { title: { text: 'pool size (workers)' }, dtick: 1 },
      yaxis: { title: { text: 'speedup over one worker' }, rangemode: 'tozero' },
    }),
    table: `${textTable(rows)}\none worker's median: ${formatMs(baselineMs)}; fitted serial fraction: ${fraction}`,
  };
}
