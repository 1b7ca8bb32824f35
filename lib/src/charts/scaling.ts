/** Scaling: speedup against pool size, with the ideal min(workers, cores, tasks) and an Amdahl fit. */
import { amdahl, fitSerialFraction } from '../core/amdahl';
import type { Sweep } from '../core/measure';
import { summarize } from '../core/stats';
import { formatMs, textTable } from '../core/summary';
import { baseLayout, COLORS, type Figure } from './figure';

/** One pool size's speedups over the sequential median. */
export interface ScalingPoint {
  workers: number;
  /** Processors the pool can really use: min(workers, cores, tasks). */
  effective: number;
  medianMs: number;
  speedup: number;
  minSpeedup: number;
  maxSpeedup: number;
  startupMs: number;
}

/** The numbers behind the scaling chart, and the Amdahl serial fraction fitted to them. */
export function scalingPoints(result: Sweep): { baselineMs: number; serialFraction: number; points: ScalingPoint[] } {
  const baselineMs = summarize(result.baseline.map((r) => r.wallMs)).median;
  const points = result.points.map((p) => {
    const s = summarize(p.runs.map((r) => r.wallMs));
    return {
      workers: p.workers,
      effective: Math.min(p.workers, result.env.cores, result.tasks),
      medianMs: s.median,
      speedup: baselineMs / s.median,
      minSpeedup: baselineMs / s.max,
      maxSpeedup: baselineMs / s.min,
      startupMs: p.startupMs,
    };
  });
  const serialFraction = fitSerialFraction(points.map((p) => ({ n: p.effective, speedup: p.speedup })));
  return { baselineMs, serialFraction, points };
}

/** Builds the scaling chart of a sweep. */
export function scalingChart(result: Sweep, options: { title?: string } = {}): Figure {
  const { baselineMs, serialFraction, points } = scalingPoints(result);
  const x = points.map((p) => p.workers);
  const title = options.title ?? `${result.workload}: speedup vs ${result.mode} pool size, ${result.tasks} tasks`;
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
        name: `measured (sequential = ${formatMs(baselineMs)})`,
        x,
        y: points.map((p) => p.speedup),
        error_y: {
          type: 'data',
          symmetric: false,
          array: points.map((p) => p.maxSpeedup - p.speedup),
          arrayminus: points.map((p) => p.speedup - p.minSpeedup),
        },
        line: { color: COLORS[result.mode] },
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
    layout: baseLayout(title, result.env.cores, {
      xaxis: { title: { text: 'pool size (workers)' }, dtick: 1 },
      yaxis: { title: { text: 'speedup over sequential' }, rangemode: 'tozero' },
    }),
    table: `${textTable(rows)}\nsequential median: ${formatMs(baselineMs)}; fitted serial fraction: ${(serialFraction * 100).toFixed(1)}%`,
  };
}
