/** Notebook 04's charts: wall time against the bound, the knob, requests in flight, and who waited when. */
import { baseLayout, colorOf, COLORS, type Figure, type Trace } from '../../charts/figure';
import { laneOf } from '../../charts/timeline';
import { runsOf } from '../../core/measure';
import { type TaskRecord } from '../../core/records';
import { formatMs, textTable } from '../../core/summary';
import { type IoMeasured } from './run';
import { inflightSeries, meanInflight, peakInflight } from './server/log';
import { ioWays, type IoWay } from './summary';

/** The colour of a way: its mode's, with the blocking client a shade darker and Python's lighter. */
export function variantColor(s: Pick<IoWay, 'mode' | 'client' | 'origin'>): string {
  if (s.origin === 'python') return colorOf(s);
  if (s.client === 'ioBlocking') {
    return { async: '#007a5a', threads: '#b0301f', processes: '#6f3ab0' }[s.mode as string] ?? '#555';
  }
  return COLORS[s.mode] ?? '#555';
}

function describeTarget(experiment: IoMeasured): string {
  return experiment.latencyMs === undefined
    ? `${experiment.urls.length} URL${experiment.urls.length === 1 ? '' : 's'}`
    : `${formatMs(experiment.latencyMs)} latency`;
}

/** The rows both charts' tables share. */
function rowsOf(summaries: readonly IoWay[]): string[][] {
  const rows = [['variant', 'in flight', 'median', 'min', 'max', 'bound', 'x bound', 'server peak', 'failed']];
  for (const s of summaries) {
    rows.push([
      s.label,
      String(s.concurrency),
      formatMs(s.medianMs),
      formatMs(s.minMs),
      formatMs(s.maxMs),
      s.boundMs === undefined ? '-' : formatMs(s.boundMs),
      s.boundMs ? `${(s.medianMs / s.boundMs).toFixed(2)}` : '-',
      s.peakInflight === undefined ? '-' : String(s.peakInflight),
      `${s.failed}/${s.total}`,
    ]);
  }
  return rows;
}

/** Wall time per variant: median bars with min-max, every run, and the bound marked; failures on the bars. */
export function boundChart(experiment: IoMeasured, options: { title?: string } = {}): Figure {
  const summaries = ioWays(experiment);
  const x = summaries.map((s) => s.label);
  const s2 = (ms: number) => ms / 1000;
  const bars: Trace = {
    type: 'bar',
    name: 'median',
    x,
    y: summaries.map((s) => s2(s.medianMs)),
    marker: { color: summaries.map(variantColor) },
    error_y: {
      type: 'data',
      symmetric: false,
      array: summaries.map((s) => s2(s.maxMs - s.medianMs)),
      arrayminus: summaries.map((s) => s2(s.medianMs - s.minMs)),
    },
    text: summaries.map((s) => `${formatMs(s.medianMs)}${s.failed ? ` · ${s.failed} failed` : ''}`),
    textposition: 'outside',
    hovertemplate: '%{x}: median %{y:.3f} s<extra></extra>',
  };
  const runs: Trace = {
    type: 'scatter',
    mode: 'markers',
    name: 'each run',
    x: summaries.flatMap((v) => v.runsMs.map(() => v.label)),
    y: summaries.flatMap((v) => v.runsMs.map(s2)),
    marker: { color: '#444', size: 6, symbol: 'circle-open' },
    hovertemplate: '%{x}: %{y:.3f} s<extra>one run</extra>',
  };
  const traces = [bars, runs];
  if (summaries.some((s) => s.boundMs !== undefined)) {
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: 'bound: ceil(requests / in flight) x (latency - jitter)',
      x,
      y: summaries.map((s) => (s.boundMs === undefined ? null : s2(s.boundMs))),
      marker: { symbol: 'line-ew-open', size: 44, color: COLORS.ideal, line: { width: 3, color: COLORS.ideal } },
      hovertemplate: '%{x}: bound %{y:.3f} s<extra></extra>',
    });
  }
  const title =
    options.title ?? `${experiment.requests} requests, ${describeTarget(experiment)}: wall time per way of waiting`;
  return {
    title,
    data: traces,
    layout: baseLayout(title, experiment.comparison.env, {
      yaxis: { title: { text: 'wall time (s)' }, rangemode: 'tozero' },
      xaxis: { automargin: true },
      showlegend: true,
    }),
    table: textTable(rowsOf(summaries)),
  };
}

/** Wall time against requests in flight (log-log), each variant a point, with the bound as a line. */
export function concurrencyChart(experiment: IoMeasured, options: { title?: string } = {}): Figure {
  const summaries = [...ioWays(experiment)].sort((a, b) => a.concurrency - b.concurrency);
  const s2 = (ms: number) => ms / 1000;
  const traces: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers+text',
      name: 'measured (median, min-max)',
      marker: { size: 9 },
      x: summaries.map((s) => s.concurrency),
      y: summaries.map((s) => s2(s.medianMs)),
      text: summaries.map((s) => s.label),
      textposition: 'top center',
      error_y: {
        type: 'data',
        symmetric: false,
        array: summaries.map((s) => s2(s.maxMs - s.medianMs)),
        arrayminus: summaries.map((s) => s2(s.medianMs - s.minMs)),
      },
      line: { color: COLORS.async, dash: 'dot', width: 1.5 },
      hovertemplate: '%{text}: %{y:.3f} s<extra></extra>',
    },
  ];
  if (experiment.latencyMs !== undefined) {
    const lo = summaries[0]?.concurrency ?? 1;
    const hi = summaries[summaries.length - 1]?.concurrency ?? experiment.requests;
    const xs: number[] = [];
    for (let c = lo; c <= hi; c = Math.max(c + 1, Math.ceil(c * 1.15))) xs.push(c);
    if (xs[xs.length - 1] !== hi) xs.push(hi);
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: 'bound: ceil(requests / in flight) x (latency - jitter)',
      marker: { size: 5, color: COLORS.ideal },
      x: xs,
      y: xs.map((c) =>
        s2(Math.ceil(experiment.requests / c) * Math.max(0, experiment.latencyMs! - (experiment.jitterMs ?? 0))),
      ),
      line: { color: COLORS.ideal, dash: 'dash', shape: 'hv' },
    });
  }
  const title =
    options.title ?? `${experiment.requests} requests, ${describeTarget(experiment)}: time against requests in flight`;
  return {
    title,
    data: traces,
    layout: baseLayout(title, experiment.comparison.env, {
      xaxis: {
        title: { text: 'requests in flight at once' },
        type: 'log',
        // Room either side for the labels of the first and last points.
        range: [Math.log10(summaries[0]?.concurrency ?? 1) - 0.2, Math.log10(summaries.at(-1)?.concurrency ?? 1) + 0.2],
      },
      yaxis: { title: { text: 'wall time (s)' }, type: 'log' },
    }),
    table: textTable(rowsOf(summaries)),
  };
}

/** Options of the in-flight chart. */
export interface InflightOptions {
  title?: string;
  /** Which timed run of each variant to draw (default 0, the first). */
  repeat?: number;
  /** Only these variants, by label (default all). */
  variants?: readonly string[];
}

/** One step line per way: requests open on the server against ms since that run started. */
export function inflightChart(experiment: IoMeasured, options: InflightOptions = {}): Figure {
  const repeat = options.repeat ?? 0;
  const ways = ioWays(experiment).filter((v) => !options.variants || options.variants.includes(v.label));
  const rows = [['way', 'run', 'requests seen', 'peak', 'mean', 'span']];
  const traces: Trace[] = [];
  for (const v of ways) {
    const run = runsOf(experiment.comparison, v.label).find((r) => r.repeat === repeat);
    const records = v.serverRecords[repeat] ?? [];
    if (!run || records.length === 0) continue;
    const points = inflightSeries(records);
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: v.label,
      x: [0, ...points.map((p) => p.t - run.start), run.end - run.start],
      y: [0, ...points.map((p) => p.inflight), 0],
      line: { shape: 'hv', color: variantColor(v) },
      hovertemplate: `${v.label}: %{y} in flight at %{x:.1f} ms<extra></extra>`,
    });
    const span = points[points.length - 1]!.t - points[0]!.t;
    rows.push([
      v.label,
      `#${repeat}`,
      String(records.length),
      String(peakInflight(records)),
      meanInflight(records).toFixed(1),
      formatMs(span),
    ]);
  }
  const title = options.title ?? 'Requests in flight, as the server saw them';
  return {
    title,
    data: traces,
    layout: baseLayout(title, experiment.comparison.env, {
      xaxis: { title: { text: 'ms since the run started' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'requests in flight' }, rangemode: 'tozero' },
    }),
    table:
      traces.length > 0
        ? textTable(rows)
        : 'no server records: the requests went to real URLs, whose servers do not report to us',
  };
}

/** Options of the I/O timeline. */
export interface IoTimelineOptions {
  title?: string;
  /** Which timed run of each variant to draw (default 0). */
  repeat?: number;
  /** Only these variants, by label (default all). */
  variants?: readonly string[];
}

/** Builds the timeline: time since each variant's run started, one group of lanes per variant. */
export function ioTimelineChart(experiment: IoMeasured, options: IoTimelineOptions = {}): Figure {
  const repeat = options.repeat ?? 0;
  const lanes: string[] = [];
  const traces: Trace[] = [];
  const failed = { y: [] as string[], base: [] as number[], x: [] as number[], text: [] as string[] };
  const rows = [['variant', 'lane', 'requests', 'busy', 'last end']];
  for (const v of ioWays(experiment)) {
    if (options.variants && !options.variants.includes(v.label)) continue;
    const run = runsOf(experiment.comparison, v.label).find((r) => r.repeat === repeat);
    if (!run) continue;
    const ok = { y: [] as string[], base: [] as number[], x: [] as number[], text: [] as string[] };
    const byLane = new Map<string, TaskRecord[]>();
    for (const task of run.tasks) {
      const lane = `${v.label} · ${laneOf(task)}`;
      if (!byLane.has(lane)) byLane.set(lane, []);
      byLane.get(lane)!.push(task);
      const g = task.ok ? ok : failed;
      g.y.push(lane);
      g.base.push(task.start - run.start);
      g.x.push(Math.max(task.end - task.start, 0.01));
      g.text.push(`request ${task.index}${task.ok ? '' : `: ${task.error ?? 'failed'}`}`);
    }
    for (const [lane, tasks] of [...byLane].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      lanes.push(lane);
      rows.push([
        v.label,
        laneOf(tasks[0]!),
        String(tasks.length),
        formatMs(tasks.reduce((s, t) => s + (t.end - t.start), 0)),
        formatMs(tasks.reduce((m, t) => Math.max(m, t.end), -Infinity) - run.start),
      ]);
    }
    if (ok.y.length) traces.push(bar(v.label, ok, variantColor(v)));
  }
  if (failed.y.length) traces.push(bar('failed', failed, COLORS.failed!));
  const title = options.title ?? 'Timeline: each request on the lane of the thread that made it';
  return {
    title,
    data: traces,
    layout: baseLayout(title, experiment.comparison.env, {
      barmode: 'overlay',
      height: Math.min(1400, 160 + 22 * lanes.length),
      xaxis: { title: { text: 'ms since the run started' }, rangemode: 'tozero' },
      yaxis: { categoryorder: 'array', categoryarray: [...lanes].reverse(), automargin: true },
    }),
    table: textTable(rows),
  };
}

function bar(name: string, g: { y: string[]; base: number[]; x: number[]; text: string[] }, color: string): Trace {
  return {
    type: 'bar',
    orientation: 'h',
    name,
    ...g,
    textposition: 'none',
    opacity: 0.75,
    marker: { color, line: { width: 0.5, color: '#fff' } },
    hovertemplate: '%{text}<br>%{base:.1f} ms → +%{x:.1f} ms<extra>%{y}</extra>',
  };
}
