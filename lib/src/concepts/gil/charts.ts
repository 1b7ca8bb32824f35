/** Notebook 06's charts: the event loop watched, the simulated GIL, its switch interval, and Amdahl's law. */
import { baseLayout, COLORS, type Figure, type Trace } from '../../charts/figure';
import { scalingChart, scalingPoints } from '../../charts/scaling';
import { timelineChart } from '../../charts/timeline';
import { amdahl } from '../../core/amdahl';
import { type Run } from '../../core/records';
import { median } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import { type AmdahlSweep } from './amdahl';
import { type GilRun } from './gil-team';
import { loopStats } from './loop-monitor';
import { type LoopComparison, type LoopRun, PLACE_LABELS } from './loop-run';
import { type GilComparison, summarizeGil, type SwitchSweep, VARIANT_LABELS } from './run';

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

/** Colours of the three variants. */
export const GIL_COLORS = { sequential: COLORS.sequential!, gil: '#7f7f7f', free: COLORS.threads! };

/** Options of `gilChart`. */
export interface GilChartOptions {
  title?: string;
  /** The tasks mostly wait (simulated I/O): then the ideal is min(threads, tasks) with or without the lock. */
  io?: boolean;
}

/** The best speedup each variant could reach: 1 for CPU work under the lock; the cores (or threads) otherwise. */
export function gilIdeal(result: GilComparison, variant: 'sequential' | 'gil' | 'free', io = false): number {
  if (variant === 'sequential') return 1;
  if (io) return Math.min(result.threads, result.tasks);
  return variant === 'gil' ? 1 : Math.min(result.threads, result.env.cores, result.tasks);
}

/** The comparison as a text table. */
export function gilTable(result: GilComparison, io = false): string {
  const rows = [['variant', 'threads', 'median', 'min', 'max', 'speedup', 'ideal', 'hand-offs', 'failed']];
  for (const s of summarizeGil(result)) {
    rows.push([
      VARIANT_LABELS[s.variant],
      String(s.threads),
      formatMs(s.medianMs),
      formatMs(s.minMs),
      formatMs(s.maxMs),
      s.speedup === undefined ? '-' : `${s.speedup.toFixed(2)}x`,
      `${gilIdeal(result, s.variant, io)}x`,
      String(Math.round(s.switches)),
      String(s.failed),
    ]);
  }
  return `${textTable(rows)}\nswitch interval: ${result.switchIntervalMs} ms; hand-offs: times the lock passed to another thread (median per run)`;
}

/** Speedup over one thread, with the global lock and without, each with its ideal marked. */
export function gilChart(result: GilComparison, options: GilChartOptions = {}): Figure {
  const summaries = summarizeGil(result);
  const x = summaries.map((s) =>
    s.variant === 'sequential' ? VARIANT_LABELS.sequential : `${s.threads} ${VARIANT_LABELS[s.variant]}`,
  );
  const seq = summaries.find((s) => s.variant === 'sequential');
  const title =
    options.title ??
    `${result.label}: ${result.threads} threads with one global lock, and without (switch interval ${result.switchIntervalMs} ms)`;
  return {
    title,
    data: [
      {
        type: 'bar',
        name: 'speedup over one thread (median)',
        x,
        y: summaries.map((s) => s.speedup ?? null),
        error_y: seq
          ? {
              type: 'data',
              symmetric: false,
              array: summaries.map((s) => seq.medianMs / s.minMs - (s.speedup ?? 0)),
              arrayminus: summaries.map((s) => (s.speedup ?? 0) - seq.medianMs / s.maxMs),
            }
          : undefined,
        marker: { color: summaries.map((s) => GIL_COLORS[s.variant]) },
        text: summaries.map((s) =>
          s.speedup === undefined ? '' : `${s.speedup.toFixed(2)}x · ${formatMs(s.medianMs)}`,
        ),
        textposition: 'inside',
        insidetextanchor: 'middle',
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: options.io
          ? 'ideal: min(threads, tasks), waits overlap'
          : 'ideal: 1 with the lock, min(threads, cores, tasks) without',
        x,
        y: summaries.map((s) => gilIdeal(result, s.variant, options.io)),
        marker: { symbol: 'line-ew-open', size: 44, line: { width: 3, color: COLORS.ideal } },
      },
    ],
    layout: baseLayout(title, result.env.cores, {
      yaxis: { title: { text: 'speedup over one thread' }, rangemode: 'tozero' },
    }),
    table: gilTable(result, options.io),
  };
}

/** Options of `lockTimelineChart`. */
export interface LockTimelineOptions {
  title?: string;
  /** Show this many ms from the start of the run (default 60). */
  windowMs?: number;
}

/** Who held the global lock during the first `windowMs` of a run: a lane per thread, a bar per hold. */
export function lockTimelineChart(run: GilRun, options: LockTimelineOptions = {}): Figure {
  const windowMs = options.windowMs ?? 60;
  const holds = run.holds.filter((h) => h.start - run.start < windowMs);
  const asRun: Run = {
    ...run,
    tasks: holds.map((h, index) => ({
      index,
      pid: run.tasks[0]?.pid ?? -1,
      threadId: h.threadId,
      start: h.start,
      end: Math.min(h.end, run.start + windowMs),
      ok: true,
    })),
  };
  const title =
    options.title ??
    `Who holds the lock: the first ${windowMs} ms of ${run.workers} threads, switch interval ${run.switchIntervalMs} ms`;
  const figure = timelineChart(asRun, {
    title,
    category: () => 'holds the lock',
    colors: { 'holds the lock': GIL_COLORS.gil },
  });
  const held = holds.length ? holds.reduce((sum, h) => sum + (h.end - h.start), 0) / holds.length : 0;
  figure.table = `${figure.table}\n${holds.length} holds in the first ${windowMs} ms, ${formatMs(held)} each on average; ${run.switches} hand-offs in the whole run (${formatMs(run.wallMs)})`;
  return figure;
}

/** What the switch interval costs: CPU threads' slowdown from hand-offs, and an I/O thread's wait to get the lock back. */
export function switchSweepChart(result: SwitchSweep, options: { title?: string } = {}): Figure {
  const x = result.points.map((p) => p.switchIntervalMs);
  const title =
    options.title ?? `The switch interval: ${result.threads} CPU threads under one lock, and an I/O thread beside one`;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: `CPU threads: time / one thread's time (${formatMs(result.baselineMs)})`,
      x,
      y: result.points.map((p) => p.slowdown),
      text: result.points.map((p) => `${Math.round(p.switchesPerSecond)} hand-offs/s`),
      line: { color: GIL_COLORS.gil },
    },
  ];
  const io = result.points.some((p) => p.ioDelayMs !== undefined);
  if (io) {
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: 'I/O thread: extra wait per 1 ms blocking call, to get the lock back (ms, right axis)',
      x,
      y: result.points.map((p) => p.ioDelayMs ?? NaN),
      line: { color: COLORS.async!, dash: 'dash' },
      yaxis: 'y2',
    });
  }
  const rows = [['interval', 'median', 'slowdown', 'hand-offs/s', 'I/O extra wait']];
  for (const p of result.points) {
    rows.push([
      `${p.switchIntervalMs} ms`,
      formatMs(p.medianMs),
      `${p.slowdown.toFixed(2)}x`,
      String(Math.round(p.switchesPerSecond)),
      p.ioDelayMs === undefined ? '-' : formatMs(p.ioDelayMs),
    ]);
  }
  return {
    title,
    data,
    layout: baseLayout(title, result.env.cores, {
      xaxis: { title: { text: 'switch interval (ms, log scale)' }, type: 'log' },
      yaxis: { title: { text: 'CPU time / one thread (1 = no cost)' }, rangemode: 'tozero' },
      ...(io
        ? { yaxis2: { title: { text: 'I/O extra wait (ms)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' } }
        : {}),
      margin: { t: 70, l: 70, r: 70, b: 110 },
    }),
    table: `${textTable(rows)}\none thread: ${formatMs(result.baselineMs)} (median); ${result.ioWaits} blocking calls of 1 ms per I/O run`,
  };
}

/** Amdahl's law measured: speedup against thread count, the curve for the set serial fraction, and the fitted one. */
export function amdahlChart(result: AmdahlSweep, options: { title?: string } = {}): Figure {
  const f = result.serialFraction;
  const title =
    options.title ??
    `Amdahl's law measured: ${formatMs(result.workMs)} of work, ${(f * 100).toFixed(0)}% of it serial, on 1..${Math.max(...result.points.map((p) => p.workers))} threads`;
  const figure = scalingChart(result, { title });
  const { points, serialFraction: fitted } = scalingPoints(result);
  figure.data.push({
    type: 'scatter',
    mode: 'lines',
    name: `Amdahl's law for the set fraction ${(f * 100).toFixed(0)}%: 1 / (s + (1 - s) / min(n, cores))`,
    x: points.map((p) => p.workers),
    y: points.map((p) => amdahl(f, p.effective)),
    line: { color: COLORS.processes, width: 3 },
  });
  figure.layout = { ...figure.layout, xaxis: { title: { text: 'threads' }, dtick: 1 } };
  figure.table += `\nset serial fraction: ${(f * 100).toFixed(1)}%; Amdahl's limit with unlimited cores: ${f > 0 ? `${(1 / f).toFixed(2)}x` : 'none'}; fitted from the data: ${(fitted * 100).toFixed(1)}%`;
  return figure;
}
