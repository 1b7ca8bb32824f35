/** Notebook 06's charts of the simulated GIL: against one thread, who holds it, its switch interval, Amdahl's law. */
import { baseLayout, COLORS, patternOf, type Figure, type Trace } from '../../charts/figure';
import { scalingChart } from '../../charts/scaling';
import { timelineChart } from '../../charts/timeline';
import { amdahl } from '../../core/amdahl';
import type { Comparison } from '../../core/measure';
import { Tasks, type Run } from '../../core/records';
import { median } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import { GIL_ROWS } from './run';
import { amdahlPoints, gilDetail, gilRows, switchPoints, type GilRow } from './summary';

const GIL_COLORS: Record<string, string> = {
  [GIL_ROWS.one]: COLORS.sequential!,
  [GIL_ROWS.locked]: '#7f7f7f',
  [GIL_ROWS.free]: COLORS.threads!,
};

/** The best speedup a row of `gil.compare` could reach: 1 under the lock for CPU work; the cores (or threads) otherwise. */
function gilIdeal(c: Comparison, row: GilRow, io = false): number {
  if (row.workers === 1) return 1;
  if (io) return Math.min(row.workers, c.tasks);
  return row.label === GIL_ROWS.locked || row.label.includes('Python')
    ? 1
    : Math.min(row.workers, c.env.cores, c.tasks);
}

/** Speedup over one thread, with the global lock and without (and Python's threads), each with its ideal marked. */
export function gilChart(result: Comparison, options: { title?: string; io?: boolean } = {}): Figure {
  const rows = gilRows(result).filter((r) => r.baseline || r.workers === 1);
  const x = rows.map((s) => (s.workers > 1 && s.origin === 'node' ? `${s.workers} ${s.label}` : s.label));
  const speed = rows.map((s) => s.speedup ?? 1);
  const ideal = rows.map((s) => gilIdeal(result, s, options.io));
  const table = rows.map((s, i) => [
    s.label,
    String(s.workers),
    ...[s.wall.median, s.wall.min, s.wall.max].map(formatMs),
    `${speed[i]!.toFixed(2)}x`,
    `${ideal[i]}x`,
    String(Math.round(s.switches)),
    String(s.failures.length),
  ]);
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
          pattern: { shape: rows.map(patternOf) },
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
        y: ideal,
        marker: { symbol: 'line-ew-open', size: 44, line: { width: 3, color: COLORS.ideal } },
      },
    ],
    layout: baseLayout(title, result.env, {
      yaxis: { title: { text: 'speedup over one thread' }, rangemode: 'tozero' },
    }),
    table: `${textTable([['row', 'threads', 'median', 'min', 'max', 'speedup', 'ideal', 'hand-offs', 'failed'], ...table])}\nhand-offs: times the lock passed to another thread (median per run); each Python row is against Python's one thread`,
  };
}

/** Who held the global lock during the first 60 ms of a run: a lane per thread, a bar per hold. */
export function lockTimelineChart(run: Run): Figure {
  const windowMs = 60;
  const detail = gilDetail(run)!;
  const holds = detail.holds.filter((h) => h.start - run.start < windowMs);
  const pid = run.tasks.at(0).pid;
  const end = run.start + windowMs;
  const tasks = Tasks.of(holds.map((h, index) => ({ ...h, index, pid, end: Math.min(h.end, end), ok: true })));
  const title = `Who holds the lock: the first ${windowMs} ms of ${run.workers} threads, switch interval ${detail.switchIntervalMs} ms`;
  const colors = { 'holds the lock': GIL_COLORS[GIL_ROWS.locked]! };
  const figure = timelineChart({ ...run, tasks }, { title, category: () => 'holds the lock', colors });
  const held = holds.length ? holds.reduce((sum, h) => sum + (h.end - h.start), 0) / holds.length : 0;
  figure.table = `${figure.table}\n${holds.length} holds in the first ${windowMs} ms, ${formatMs(held)} each on average; ${detail.switches} hand-offs in the whole run (${formatMs(run.wallMs)})`;
  return figure;
}

/** What the switch interval costs: CPU threads' slowdown from hand-offs, and an I/O thread's wait to get the lock back. */
export function switchSweepChart(result: Comparison): Figure {
  const { base, points } = switchPoints(result);
  const baseMs = base.length ? median(base) : NaN;
  const x = points.map((p) => p.switchIntervalMs);
  const slowdown = points.map((p) => median(p.walls) / baseMs);
  const title = `The switch interval: ${String(result.params.threads)} CPU threads under one lock, and an I/O thread beside one`;
  const name = `CPU threads: time / one thread's time (${formatMs(baseMs)})`;
  const data: Trace[] = [{ type: 'scatter', mode: 'lines+markers', name, x, y: slowdown, line: { color: '#7f7f7f' } }];
  const io = points.some((p) => p.ioDelayMs !== undefined);
  const ioName = 'I/O thread: extra wait per 1 ms blocking call, to get the lock back (ms, right axis)';
  const ioLine = { color: COLORS.async!, dash: 'dash' };
  const y = points.map((p) => p.ioDelayMs ?? NaN);
  if (io) data.push({ type: 'scatter', mode: 'lines+markers', name: ioName, x, y, line: ioLine, yaxis: 'y2' });
  const rows = points.map((p, i) => [
    `${p.switchIntervalMs} ms`,
    formatMs(median(p.walls)),
    `${slowdown[i]!.toFixed(2)}x`,
    String(Math.round(p.switchesPerSecond)),
    p.ioDelayMs === undefined ? '-' : formatMs(p.ioDelayMs),
  ]);
  const yaxis2 = { title: { text: 'I/O extra wait (ms)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' };
  return {
    title,
    data,
    layout: baseLayout(title, result.env, {
      xaxis: { title: { text: 'switch interval (ms, log scale)' }, type: 'log' },
      yaxis: { title: { text: 'CPU time / one thread (1 = no cost)' }, rangemode: 'tozero' },
      ...(io ? { yaxis2 } : {}),
      margin: { t: 70, l: 70, r: 70, b: 110 },
    }),
    table: `${textTable([['interval', 'median', 'slowdown', 'hand-offs/s', 'I/O extra wait'], ...rows])}\none thread: ${formatMs(baseMs)} (median); ${String(result.params.ioWaits)} blocking calls of 1 ms per I/O run`,
  };
}

/** Amdahl's law measured: speedup against thread count, the curve for the set serial fraction, and the fitted one. */
export function amdahlChart(result: Comparison): Figure {
  const { set: f, fitted, workMs, points } = amdahlPoints(result);
  const share = `${(f * 100).toFixed(0)}%`;
  const most = Math.max(...points.map((p) => p.workers));
  const title = `Amdahl's law measured: ${formatMs(workMs)} of work, ${share} of it serial, on 1..${most} threads`;
  const figure = scalingChart(result, { title, mode: 'gil' });
  figure.data.push({
    type: 'scatter',
    mode: 'lines',
    name: `Amdahl's law for the set fraction ${share}: 1 / (s + (1 - s) / min(n, cores))`,
    x: points.map((p) => p.workers),
    y: points.map((p) => amdahl(f, p.effective)),
    line: { color: COLORS.processes, width: 3 },
  });
  figure.layout = { ...figure.layout, xaxis: { title: { text: 'threads' }, dtick: 1 } };
  figure.table += `\nset serial fraction: ${(f * 100).toFixed(1)}%; Amdahl's limit with unlimited cores: ${f > 0 ? `${(1 / f).toFixed(2)}x` : 'none'}; fitted from the data: ${(fitted * 100).toFixed(1)}%`;
  return figure;
}
