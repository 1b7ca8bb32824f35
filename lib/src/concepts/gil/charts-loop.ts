/** The event loop over time while CPU work runs: its delay, a heartbeat's lateness, and request latency. */
import type { LoopComparison, LoopRun } from './loop-run';
import { PLACE_LABELS } from './loop-run';
import { loopStats } from './loop-monitor';
import { median } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import { baseLayout, type Figure, type Trace } from '../../charts/figure';

/** Colours of the three views of the loop. */
const LOOP_COLORS = { delay: '#636efa', beat: '#ef553b', request: '#00cc96', work: 'rgba(255,161,90,0.25)' };

/** The numbers of one run: the work, and the worst the loop, the heartbeat and the requests saw. */
export interface LoopRunSummary {
  place: LoopRun['place'];
  workMs: number;
  /** Main loop utilization while the work ran, 0 to 1. */
  utilization: number;
  maxDelayMs: number;
  maxLatenessMs: number;
  requests: number;
  medianLatencyMs: number;
  maxLatencyMs: number;
}

/** Summarises one run of `blockTheLoop`. */
export function loopRunSummary(run: LoopRun): LoopRunSummary {
  const stats = loopStats(run.trace);
  const latencies = run.requests.filter((r) => r.ok).map((r) => r.end - r.start);
  return {
    place: run.place,
    workMs: run.workMs,
    utilization: run.utilization,
    maxDelayMs: stats.maxDelayMs,
    maxLatenessMs: stats.maxLatenessMs,
    requests: latencies.length,
    medianLatencyMs: latencies.length ? median(latencies) : NaN,
    maxLatencyMs: latencies.length ? Math.max(...latencies) : NaN,
  };
}

const HEADER = ['work', 'wall', 'loop busy', 'worst delay', 'worst beat', 'requests', 'median lat.', 'worst lat.'];
const ms = (v: number) => (Number.isNaN(v) ? '-' : formatMs(v));

function row(s: LoopRunSummary): string[] {
  return [
    PLACE_LABELS[s.place],
    formatMs(s.workMs),
    `${(s.utilization * 100).toFixed(0)}%`,
    ms(s.maxDelayMs),
    `${ms(s.maxLatenessMs)} late`,
    String(s.requests),
    ms(s.medianLatencyMs),
    ms(s.maxLatencyMs),
  ];
}

/** The summaries as a text table. */
export function loopTable(result: LoopComparison): string {
  return textTable([HEADER, ...result.runs.map((r) => row(loopRunSummary(r)))]);
}

/** Options of `loopChart`. */
export interface LoopChartOptions {
  title?: string;
  /** Top of the y axis in ms, to draw several runs on one scale. */
  yMax?: number;
  /** The server's own latency, drawn as a reference line (ms). */
  latencyMs?: number;
}

/** One run over time: loop delay per sample, each heartbeat's lateness, each request's latency; the work shaded. */
export function loopChart(run: LoopRun, options: LoopChartOptions & { cores: number }): Figure {
  const t = (ms: number) => ms - run.start;
  const s = loopRunSummary(run);
  const title = options.title ?? `CPU work ${PLACE_LABELS[run.place]}: what the event loop saw`;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: `event-loop delay (perf_hooks, per ${run.trace.sampleMs} ms sample)`,
      x: run.trace.samples.map((p) => t(p.t)),
      y: run.trace.samples.map((p) => p.delayMs),
      line: { color: LOOP_COLORS.delay, shape: 'vh' },
      marker: { size: 4 },
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: `heartbeat lateness (every ${run.trace.heartbeatMs} ms)`,
      x: run.trace.beats.map((b) => t(b.t)),
      y: run.trace.beats.map((b) => b.latenessMs),
      marker: { color: LOOP_COLORS.beat, size: 5, symbol: 'x' },
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'request latency (at its answer)',
      x: run.requests.map((r) => t(r.end)),
      y: run.requests.map((r) => r.end - r.start),
      marker: { color: LOOP_COLORS.request, size: 6, symbol: 'circle-open' },
    },
  ];
  if (options.latencyMs !== undefined) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `the server's own latency (${options.latencyMs} ms)`,
      x: [0, t(run.end)],
      y: [options.latencyMs, options.latencyMs],
      line: { color: '#999', dash: 'dot' },
    });
  }
  const { cores } = options;
  return {
    title,
    data,
    layout: baseLayout(title, cores, {
      xaxis: { title: { text: 'ms since the watch started' }, rangemode: 'tozero' },
      yaxis: {
        title: { text: 'ms' },
        rangemode: 'tozero',
        ...(options.yMax ? { range: [0, options.yMax * 1.05] } : {}),
      },
      shapes: [
        {
          type: 'rect',
          xref: 'x',
          yref: 'paper',
          x0: t(run.workStart),
          x1: t(run.workEnd),
          y0: 0,
          y1: 1,
          fillcolor: LOOP_COLORS.work,
          line: { width: 0 },
          layer: 'below',
        },
      ],
      annotations: [
        {
          x: (t(run.workStart) + t(run.workEnd)) / 2,
          y: 0.98,
          xref: 'x',
          yref: 'paper',
          yanchor: 'top',
          showarrow: false,
          bgcolor: 'rgba(255,255,255,0.7)',
          text: `CPU work: ${formatMs(s.workMs)}, loop busy ${(s.utilization * 100).toFixed(0)}%`,
        },
      ],
    }),
    table: textTable([HEADER, row(s)]),
  };
}

/** One chart per place, all on the same y scale, so a free loop looks as flat as it is. */
export function loopCharts(result: LoopComparison): Figure[] {
  const summaries = result.runs.map(loopRunSummary);
  const yMax = Math.max(
    1,
    ...summaries.flatMap((s) => [s.maxDelayMs, s.maxLatenessMs, Number.isNaN(s.maxLatencyMs) ? 0 : s.maxLatencyMs]),
  );
  const latencyMs = result.concurrency > 0 ? result.latencyMs : undefined;
  return result.runs.map((run) => loopChart(run, { yMax, latencyMs, cores: result.env.cores }));
}

/** Per place, the worst the loop, the heartbeat and the requests saw while the same work ran. */
export function loopSummaryChart(result: LoopComparison, options: { title?: string } = {}): Figure {
  const summaries = result.runs.map(loopRunSummary);
  const x = summaries.map((s) => PLACE_LABELS[s.place]);
  const bar = (name: string, color: string, y: number[]) => ({
    type: 'bar',
    name,
    x,
    y: y.map((v) => (Number.isNaN(v) ? null : v)),
    marker: { color },
    text: y.map((v) => (Number.isNaN(v) ? '' : ms(v))),
    textposition: 'outside',
  });
  const title =
    options.title ?? `${result.count} x cpu(${result.num}): the worst wait for everything else on the event loop`;
  return {
    title,
    data: [
      bar(
        'worst event-loop delay',
        LOOP_COLORS.delay,
        summaries.map((s) => s.maxDelayMs),
      ),
      bar(
        'worst heartbeat lateness',
        LOOP_COLORS.beat,
        summaries.map((s) => s.maxLatenessMs),
      ),
      bar(
        'worst request latency',
        LOOP_COLORS.request,
        summaries.map((s) => s.maxLatencyMs),
      ),
    ],
    layout: baseLayout(title, result.env.cores, {
      barmode: 'group',
      yaxis: { title: { text: 'ms' }, rangemode: 'tozero' },
    }),
    table: loopTable(result),
  };
}
