/** Notebook 06's charts of the event loop watched while the same CPU work runs three ways. */
import { baseLayout, type Figure, type Trace } from '../../charts/figure';
import { runsOf, type Comparison } from '../../core/measure';
import { formatMs, textTable } from '../../core/summary';
import type { LoopWatch } from './loop-run';
import { loopRows, type LoopRow } from './summary';

const LOOP_COLORS = { delay: '#636efa', beat: '#ef553b', request: '#00cc96', work: 'rgba(255,161,90,0.25)' };

const ms = (v: number) => (Number.isNaN(v) ? '-' : formatMs(v));

function loopTable(rows: LoopRow[]): string {
  const head = ['work', 'wall', 'loop busy', 'worst delay', 'worst beat', 'requests', 'median lat.', 'worst lat.'];
  return textTable([
    head,
    ...rows.map((s) => [
      s.label,
      formatMs(s.workMs),
      `${(s.utilization * 100).toFixed(0)}%`,
      ms(s.maxDelayMs),
      `${ms(s.maxLatenessMs)} late`,
      String(s.requests),
      ms(s.medianLatencyMs),
      ms(s.maxLatencyMs),
    ]),
  ]);
}

/**
 * One chart per way, all on the same y scale so a free loop looks as flat as it is: over time,
 * the loop's delay per sample, each heartbeat's lateness, each request's latency; the work shaded.
 */
export function loopCharts(result: Comparison): Figure[] {
  const rows = loopRows(result);
  const yMax = Math.max(1, ...rows.flatMap((s) => [s.maxDelayMs, s.maxLatenessMs, s.maxLatencyMs || 0]));
  const serverMs = Number(result.params.concurrency) > 0 ? Number(result.params.latencyMs) : undefined;
  return rows.map((s) => {
    const run = runsOf(result, s.label)[0]!;
    const { trace, requests } = run.detail!.watch as LoopWatch;
    const t = (at: number) => at - trace.start;
    const title = `CPU work ${run.label}: what the event loop saw`;
    const data: Trace[] = [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: `event-loop delay (perf_hooks, per ${trace.sampleMs} ms sample)`,
        x: trace.samples.map((p) => t(p.t)),
        y: trace.samples.map((p) => p.delayMs),
        line: { color: LOOP_COLORS.delay, shape: 'vh' },
        marker: { size: 4 },
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: `heartbeat lateness (every ${trace.heartbeatMs} ms)`,
        x: trace.beats.map((b) => t(b.t)),
        y: trace.beats.map((b) => b.latenessMs),
        marker: { color: LOOP_COLORS.beat, size: 5, symbol: 'x' },
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'request latency (at its answer)',
        x: requests.map((r) => t(r.end)),
        y: requests.map((r) => r.end - r.start),
        marker: { color: LOOP_COLORS.request, size: 6, symbol: 'circle-open' },
      },
    ];
    if (serverMs !== undefined) {
      const [name, line] = [`the server's own latency (${serverMs} ms)`, { color: '#999', dash: 'dot' }];
      data.push({ type: 'scatter', mode: 'lines', name, x: [0, t(trace.end)], y: [serverMs, serverMs], line });
    }
    const [x0, x1] = [t(run.start), t(run.end)];
    const text = `CPU work: ${formatMs(s.workMs)}, loop busy ${(s.utilization * 100).toFixed(0)}%`;
    const at = { xref: 'x', yref: 'paper' } as const;
    const band = { ...at, type: 'rect', x0, x1, y0: 0, y1: 1, fillcolor: LOOP_COLORS.work, line: { width: 0 } };
    const label = { ...at, x: (x0 + x1) / 2, y: 0.98, yanchor: 'top', showarrow: false, text };
    return {
      title,
      data,
      layout: baseLayout(title, result.env, {
        xaxis: { title: { text: 'ms since the watch started' }, rangemode: 'tozero' },
        yaxis: { title: { text: 'ms' }, rangemode: 'tozero', range: [0, yMax * 1.05] },
        shapes: [{ ...band, layer: 'below' }],
        annotations: [{ ...label, bgcolor: 'rgba(255,255,255,0.7)' }],
      }),
      table: loopTable([s]),
    };
  });
}

/** Per way, the worst the loop, the heartbeat and the requests saw while the same work ran. */
export function loopSummaryChart(result: Comparison): Figure {
  const rows = loopRows(result);
  const bar = (name: string, color: string, key: 'maxDelayMs' | 'maxLatenessMs' | 'maxLatencyMs'): Trace => {
    const y = rows.map((s) => s[key]);
    return {
      type: 'bar',
      name,
      x: rows.map((s) => s.label),
      y: y.map((v) => (Number.isNaN(v) ? null : v)),
      marker: { color },
      text: y.map((v) => (Number.isNaN(v) ? '' : ms(v))),
      textposition: 'outside',
    };
  };
  const title = `${result.tasks} x cpu(${String(result.params.num)}): the worst wait for everything else on the event loop`;
  return {
    title,
    data: [
      bar('worst event-loop delay', LOOP_COLORS.delay, 'maxDelayMs'),
      bar('worst heartbeat lateness', LOOP_COLORS.beat, 'maxLatenessMs'),
      bar('worst request latency', LOOP_COLORS.request, 'maxLatencyMs'),
    ],
    layout: baseLayout(title, result.env, { barmode: 'group', yaxis: { title: { text: 'ms' }, rangemode: 'tozero' } }),
    table: loopTable(rows),
  };
}
