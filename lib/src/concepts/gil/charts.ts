/**
 * Charts of the simulated GIL: speedup with and without the lock, who holds the lock over
 * time, what the switch interval costs, and Amdahl's law measured against its curve.
 */
import { amdahl } from '../../core/amdahl';
import type { AmdahlSweep } from './amdahl';
import { summarizeGil, VARIANT_LABELS, type GilComparison, type SwitchSweep } from './run';
import type { GilRun } from './gil-team';
import type { Run } from '../../core/records';
import { formatMs, textTable } from '../../core/summary';
import { baseLayout, COLORS, type Figure, type Trace } from '../../charts/figure';
import { scalingChart, scalingPoints } from '../../charts/scaling';
import { timelineChart } from '../../charts/timeline';

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
