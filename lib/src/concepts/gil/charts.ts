/** Notebook 06's charts: the event loop watched, the simulated GIL, its switch interval, and Amdahl's law. */
import { baseLayout, COLORS, type Figure, type Trace } from '../../charts/figure';
import { scalingChart } from '../../charts/scaling';
import { timelineChart } from '../../charts/timeline';
import { amdahl } from '../../core/amdahl';
import type { Environment } from '../../core/records';
import { runsOf, type Comparison } from '../../core/measure';
import { Tasks, type Run } from '../../core/records';
import { formatMs, textTable } from '../../core/summary';
import type { LoopWatch } from './loop-run';
import { GIL_ROWS } from './run';
import { amdahlPoints, gilDetail, gilRows, loopRows, switchPoints, type LoopRow } from './summary';

/** Colours of the three views of the loop. */
const LOOP_COLORS = { delay: '#636efa', beat: '#ef553b', request: '#00cc96', work: 'rgba(255,161,90,0.25)' };

const HEADER = ['work', 'wall', 'loop busy', 'worst delay', 'worst beat', 'requests', 'median lat.', 'worst lat.'];
const ms = (v: number) => (Number.isNaN(v) ? '-' : formatMs(v));

function row(s: LoopRow): string[] {
  return [
    s.label,
    formatMs(s.workMs),
    `${(s.utilization * 100).toFixed(0)}%`,
    ms(s.maxDelayMs),
    `${ms(s.maxLatenessMs)} late`,
    String(s.requests),
    ms(s.medianLatencyMs),
    ms(s.maxLatencyMs),
  ];
}

/** The loop experiment as a text table. */
export function loopTable(result: Comparison): string {
  return textTable([HEADER, ...loopRows(result).map(row)]);
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
export function loopChart(run: Run, s: LoopRow, options: LoopChartOptions & { env: Environment }): Figure {
  const w = run.detail!.watch as LoopWatch;
  const origin = w.trace.start;
  const t = (ms: number) => ms - origin;
  const title = options.title ?? `CPU work ${run.label}: what the event loop saw`;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: `event-loop delay (perf_hooks, per ${w.trace.sampleMs} ms sample)`,
      x: w.trace.samples.map((p) => t(p.t)),
      y: w.trace.samples.map((p) => p.delayMs),
      line: { color: LOOP_COLORS.delay, shape: 'vh' },
      marker: { size: 4 },
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: `heartbeat lateness (every ${w.trace.heartbeatMs} ms)`,
      x: w.trace.beats.map((b) => t(b.t)),
      y: w.trace.beats.map((b) => b.latenessMs),
      marker: { color: LOOP_COLORS.beat, size: 5, symbol: 'x' },
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'request latency (at its answer)',
      x: w.requests.map((r) => t(r.end)),
      y: w.requests.map((r) => r.end - r.start),
      marker: { color: LOOP_COLORS.request, size: 6, symbol: 'circle-open' },
    },
  ];
  if (options.latencyMs !== undefined) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `the server's own latency (${options.latencyMs} ms)`,
      x: [0, t(w.trace.end)],
      y: [options.latencyMs, options.latencyMs],
      line: { color: '#999', dash: 'dot' },
    });
  }
  return {
    title,
    data,
    layout: baseLayout(title, options.env, {
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
          x0: t(run.start),
          x1: t(run.end),
          y0: 0,
          y1: 1,
          fillcolor: LOOP_COLORS.work,
          line: { width: 0 },
          layer: 'below',
        },
      ],
      annotations: [
        {
          x: (t(run.start) + t(run.end)) / 2,
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

/** One chart per way, all on the same y scale, so a free loop looks as flat as it is. */
export function loopCharts(result: Comparison): Figure[] {
  const rows = loopRows(result);
  const yMax = Math.max(
    1,
    ...rows.flatMap((s) => [s.maxDelayMs, s.maxLatenessMs, Number.isNaN(s.maxLatencyMs) ? 0 : s.maxLatencyMs]),
  );
  const latencyMs = Number(result.params.concurrency) > 0 ? Number(result.params.latencyMs) : undefined;
  return rows.map((s) => loopChart(runsOf(result, s.label)[0]!, s, { yMax, latencyMs, env: result.env }));
}

/** Per way, the worst the loop, the heartbeat and the requests saw while the same work ran. */
export function loopSummaryChart(result: Comparison, options: { title?: string } = {}): Figure {
  const rows = loopRows(result);
  const x = rows.map((s) => s.label);
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
    options.title ??
    `${result.tasks} x cpu(${String(result.params.num)}): the worst wait for everything else on the event loop`;
  return {
    title,
    data: [
      bar(
        'worst event-loop delay',
        LOOP_COLORS.delay,
        rows.map((s) => s.maxDelayMs),
      ),
      bar(
        'worst heartbeat lateness',
        LOOP_COLORS.beat,
        rows.map((s) => s.maxLatenessMs),
      ),
      bar(
        'worst request latency',
        LOOP_COLORS.request,
        rows.map((s) => s.maxLatencyMs),
      ),
    ],
    layout: baseLayout(title, result.env, { barmode: 'group', yaxis: { title: { text: 'ms' }, rangemode: 'tozero' } }),
    table: loopTable(result),
  };
}

/** Colours of the lock's rows: one thread, under the lock, without it. */
export const GIL_COLORS: Record<string, string> = {
  [GIL_ROWS.one]: COLORS.sequential!,
  [GIL_ROWS.locked]: '#7f7f7f',
  [GIL_ROWS.free]: COLORS.threads!,
};

/** The best speedup a row of `compareGil` could reach: 1 under the lock for CPU work; the cores (or threads) otherwise. */
export function gilIdeal(result: Comparison, label: string, io = false): number {
  const row = result.rows.find((r) => r.label === label);
  if (!row || row.workers === 1) return 1;
  if (io) return Math.min(row.workers, result.tasks);
  return label === GIL_ROWS.locked || row.label.includes('Python')
    ? 1
    : Math.min(row.workers, result.env.cores, result.tasks);
}

/** Speedup over one thread, with the global lock and without (and Python's threads), each with its ideal marked. */
export function gilChart(result: Comparison, options: { title?: string; io?: boolean } = {}): Figure {
  const rows = gilRows(result).filter((r) => r.baseline || r.workers === 1);
  const x = rows.map((s) => (s.workers > 1 && s.origin === 'node' ? `${s.workers} ${s.label}` : s.label));
  const speed = rows.map((s) => s.speedup ?? 1);
  const tableRows = [['row', 'threads', 'median', 'min', 'max', 'speedup', 'ideal', 'hand-offs', 'failed']];
  rows.forEach((s, i) => {
    tableRows.push([
      s.label,
      String(s.workers),
      formatMs(s.wall.median),
      formatMs(s.wall.min),
      formatMs(s.wall.max),
      `${speed[i]!.toFixed(2)}x`,
      `${gilIdeal(result, s.label, options.io)}x`,
      String(Math.round(s.switches)),
      String(s.failures.length),
    ]);
  });
  const title =
    options.title ??
    `${result.tasks} tasks: threads with one global lock, and without (switch interval ${String(result.params.switchIntervalMs)} ms)`;
  return {
    title,
    data: [
      {
        type: 'bar',
        name: 'speedup over one thread (median)',
        x,
        y: speed,
        marker: {
          color: rows.map((s) => (s.origin === 'python' ? '#bcbd22' : (GIL_COLORS[s.label] ?? COLORS.threads))),
          pattern: { shape: rows.map((s) => (s.origin === 'python' ? '/' : '')) },
        },
        text: rows.map((s, i) => `${speed[i]!.toFixed(2)}x · ${formatMs(s.wall.median)}`),
        textposition: 'inside',
        insidetextanchor: 'middle',
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: options.io
          ? 'ideal: min(threads, tasks), waits overlap'
          : 'ideal: 1 with a lock, min(threads, cores, tasks) without',
        x,
        y: rows.map((s) => gilIdeal(result, s.label, options.io)),
        marker: { symbol: 'line-ew-open', size: 44, line: { width: 3, color: COLORS.ideal } },
      },
    ],
    layout: baseLayout(title, result.env, {
      yaxis: { title: { text: 'speedup over one thread' }, rangemode: 'tozero' },
    }),
    table: `${textTable(tableRows)}\nhand-offs: times the lock passed to another thread (median per run); each Python row is against Python's one thread`,
  };
}

/** Options of `lockTimelineChart`. */
export interface LockTimelineOptions {
  title?: string;
  /** Show this many ms from the start of the run (default 60). */
  windowMs?: number;
}

/** Who held the global lock during the first `windowMs` of a run: a lane per thread, a bar per hold. */
export function lockTimelineChart(run: Run, options: LockTimelineOptions = {}): Figure {
  const windowMs = options.windowMs ?? 60;
  const detail = gilDetail(run)!;
  const holds = detail.holds.filter((h) => h.start - run.start < windowMs);
  const pid = run.tasks.at(0).pid;
  const asRun: Run = {
    ...run,
    tasks: Tasks.of(
      holds.map((h, index) => ({
        index,
        pid,
        threadId: h.threadId,
        start: h.start,
        end: Math.min(h.end, run.start + windowMs),
        ok: true,
      })),
    ),
  };
  const title =
    options.title ??
    `Who holds the lock: the first ${windowMs} ms of ${run.workers} threads, switch interval ${detail.switchIntervalMs} ms`;
  const figure = timelineChart(asRun, {
    title,
    category: () => 'holds the lock',
    colors: { 'holds the lock': GIL_COLORS[GIL_ROWS.locked]! },
  });
  const held = holds.length ? holds.reduce((sum, h) => sum + (h.end - h.start), 0) / holds.length : 0;
  figure.table = `${figure.table}\n${holds.length} holds in the first ${windowMs} ms, ${formatMs(held)} each on average; ${detail.switches} hand-offs in the whole run (${formatMs(run.wallMs)})`;
  return figure;
}

/** What the switch interval costs: CPU threads' slowdown from hand-offs, and an I/O thread's wait to get the lock back. */
export function switchSweepChart(result: Comparison, options: { title?: string } = {}): Figure {
  const { base, points } = switchPoints(result);
  const baseMs = base.length ? [...base].sort((a, b) => a - b)[base.length >> 1]! : NaN;
  const x = points.map((p) => p.switchIntervalMs);
  const mid = (w: number[]) => [...w].sort((a, b) => a - b)[w.length >> 1]!;
  const title =
    options.title ??
    `The switch interval: ${String(result.params.threads)} CPU threads under one lock, and an I/O thread beside one`;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: `CPU threads: time / one thread's time (${formatMs(baseMs)})`,
      x,
      y: points.map((p) => mid(p.walls) / baseMs),
      line: { color: '#7f7f7f' },
    },
  ];
  const io = points.some((p) => p.ioDelayMs !== undefined);
  if (io) {
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: 'I/O thread: extra wait per 1 ms blocking call, to get the lock back (ms, right axis)',
      x,
      y: points.map((p) => p.ioDelayMs ?? NaN),
      line: { color: COLORS.async!, dash: 'dash' },
      yaxis: 'y2',
    });
  }
  const rows = [['interval', 'median', 'slowdown', 'hand-offs/s', 'I/O extra wait']];
  for (const p of points)
    rows.push([
      `${p.switchIntervalMs} ms`,
      formatMs(mid(p.walls)),
      `${(mid(p.walls) / baseMs).toFixed(2)}x`,
      String(Math.round(p.switchesPerSecond)),
      p.ioDelayMs === undefined ? '-' : formatMs(p.ioDelayMs),
    ]);
  return {
    title,
    data,
    layout: baseLayout(title, result.env, {
      xaxis: { title: { text: 'switch interval (ms, log scale)' }, type: 'log' },
      yaxis: { title: { text: 'CPU time / one thread (1 = no cost)' }, rangemode: 'tozero' },
      ...(io
        ? { yaxis2: { title: { text: 'I/O extra wait (ms)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' } }
        : {}),
      margin: { t: 70, l: 70, r: 70, b: 110 },
    }),
    table: `${textTable(rows)}\none thread: ${formatMs(baseMs)} (median); ${String(result.params.ioWaits)} blocking calls of 1 ms per I/O run`,
  };
}

/** Amdahl's law measured: speedup against thread count, the curve for the set serial fraction, and the fitted one. */
export function amdahlChart(result: Comparison, options: { title?: string } = {}): Figure {
  const { set: f, fitted, workMs, points } = amdahlPoints(result);
  const title =
    options.title ??
    `Amdahl's law measured: ${formatMs(workMs)} of work, ${(f * 100).toFixed(0)}% of it serial, on 1..${Math.max(...points.map((p) => p.workers))} threads`;
  const figure = scalingChart(result, { title, mode: 'gil' });
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
