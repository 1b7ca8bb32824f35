/** Notebook 04's charts: wall time against the bound, the knob, requests in flight, and who waited when. */
import { baseLayout, colorOf, COLORS, type Figure, type Trace } from '../../charts/figure';
import { timelineChart } from '../../charts/timeline';
import { runsOf } from '../../core/measure';
import { formatMs, textTable } from '../../core/summary';
import { count } from '../../core/words';
import { boundMs, type IoMeasured } from './run';
import { inflightSeries, meanInflight, peakInflight } from './server/log';
import { ioWays, type IoWay } from './summary';

const BOUND = 'bound: ceil(requests / in flight) x (latency - jitter)';
const seconds = (ms: number) => ms / 1000;

/** The colour of a way: its mode's, with the blocking client a shade darker and Python's lighter. */
function variantColor(s: Pick<IoWay, 'mode' | 'client' | 'origin'>): string {
  if (s.origin === 'python') return colorOf(s);
  if (s.client !== 'ioBlocking') return COLORS[s.mode] ?? '#555';
  return { async: '#007a5a', threads: '#b0301f', processes: '#6f3ab0' }[s.mode as string] ?? '#555';
}

function figure(m: IoMeasured, title: string, data: Trace[], layout: Record<string, unknown>, table: string): Figure {
  return { title, data, layout: baseLayout(title, m.comparison.env, layout), table };
}

const describeTarget = (m: IoMeasured) =>
  m.latencyMs === undefined ? count(m.urls.length, 'URL') : `${formatMs(m.latencyMs)} latency`;

/** Median to min and max of each way, as plotly error bars. */
function spread(ways: readonly IoWay[]): Trace {
  return {
    type: 'data',
    symmetric: false,
    array: ways.map((s) => seconds(s.maxMs - s.medianMs)),
    arrayminus: ways.map((s) => seconds(s.medianMs - s.minMs)),
  };
}

/** The table both wall-time charts share. */
function wayTable(ways: readonly IoWay[]): string {
  const head = ['variant', 'in flight', 'median', 'min', 'max', 'bound', 'x bound', 'server peak', 'failed'];
  const rows = ways.map((s) => [
    s.label,
    String(s.concurrency),
    ...[s.medianMs, s.minMs, s.maxMs].map(formatMs),
    s.boundMs === undefined ? '-' : formatMs(s.boundMs),
    s.boundMs ? (s.medianMs / s.boundMs).toFixed(2) : '-',
    String(s.peakInflight ?? '-'),
    `${s.failed}/${s.total}`,
  ]);
  return textTable([head, ...rows]);
}

/** Wall time per way: median bars with min-max, every run, and the bound marked; failures on the bars. */
export function boundChart(m: IoMeasured, options: { title?: string } = {}): Figure {
  const ways = ioWays(m);
  const x = ways.map((s) => s.label);
  const data: Trace[] = [
    {
      type: 'bar',
      name: 'median',
      x,
      y: ways.map((s) => seconds(s.medianMs)),
      marker: { color: ways.map(variantColor) },
      error_y: spread(ways),
      text: ways.map((s) => `${formatMs(s.medianMs)}${s.failed ? ` · ${s.failed} failed` : ''}`),
      textposition: 'outside',
      hovertemplate: '%{x}: median %{y:.3f} s<extra></extra>',
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'each run',
      x: ways.flatMap((v) => v.runsMs.map(() => v.label)),
      y: ways.flatMap((v) => v.runsMs.map(seconds)),
      marker: { color: '#444', size: 6, symbol: 'circle-open' },
      hovertemplate: '%{x}: %{y:.3f} s<extra>one run</extra>',
    },
  ];
  if (m.latencyMs !== undefined) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: BOUND,
      x,
      y: ways.map((s) => seconds(s.boundMs!)),
      marker: { symbol: 'line-ew-open', size: 44, color: COLORS.ideal, line: { width: 3, color: COLORS.ideal } },
      hovertemplate: '%{x}: bound %{y:.3f} s<extra></extra>',
    });
  }
  const title = options.title ?? `${m.requests} requests, ${describeTarget(m)}: wall time per way of waiting`;
  const layout = { yaxis: { title: { text: 'wall time (s)' }, rangemode: 'tozero' }, xaxis: { automargin: true } };
  return figure(m, title, data, { ...layout, showlegend: true }, wayTable(ways));
}

/** Wall time against requests in flight (log-log), each way a point, with the bound as a line. */
export function concurrencyChart(m: IoMeasured): Figure {
  const ways = ioWays(m).sort((a, b) => a.concurrency - b.concurrency);
  const lo = ways[0]?.concurrency ?? 1;
  const hi = ways.at(-1)?.concurrency ?? m.requests;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers+text',
      name: 'measured (median, min-max)',
      marker: { size: 9 },
      x: ways.map((s) => s.concurrency),
      y: ways.map((s) => seconds(s.medianMs)),
      text: ways.map((s) => s.label),
      textposition: 'top center',
      error_y: spread(ways),
      line: { color: COLORS.async, dash: 'dot', width: 1.5 },
      hovertemplate: '%{text}: %{y:.3f} s<extra></extra>',
    },
  ];
  if (m.latencyMs !== undefined) {
    const xs: number[] = [];
    for (let c = lo; c <= hi; c = Math.max(c + 1, Math.ceil(c * 1.15))) xs.push(c);
    if (xs.at(-1) !== hi) xs.push(hi);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: BOUND,
      marker: { size: 5, color: COLORS.ideal },
      x: xs,
      y: xs.map((c) => seconds(boundMs(m.requests, c, m.latencyMs!, m.jitterMs))),
      line: { color: COLORS.ideal, dash: 'dash', shape: 'hv' },
    });
  }
  const title = `${m.requests} requests, ${describeTarget(m)}: time against requests in flight`;
  // Room either side for the labels of the first and last points.
  const range = [Math.log10(lo) - 0.2, Math.log10(hi) + 0.2];
  const layout = {
    xaxis: { title: { text: 'requests in flight at once' }, type: 'log', range },
    yaxis: { title: { text: 'wall time (s)' }, type: 'log' },
  };
  return figure(m, title, data, layout, wayTable(ways));
}

function firstRuns(m: IoMeasured) {
  return ioWays(m).map((v) => ({ v, run: runsOf(m.comparison, v.label).find((r) => r.repeat === 0) }));
}

/** One step line per way: requests open on the server against ms since its first run started. */
export function inflightChart(m: IoMeasured): Figure {
  const rows = [['way', 'run', 'requests seen', 'peak', 'mean', 'span']];
  const data: Trace[] = [];
  for (const { v, run } of firstRuns(m)) {
    const records = v.serverRecords[0] ?? [];
    if (!run || records.length === 0) continue;
    const points = inflightSeries(records);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: v.label,
      x: [0, ...points.map((p) => p.t - run.start), run.end - run.start],
      y: [0, ...points.map((p) => p.inflight), 0],
      line: { shape: 'hv', color: variantColor(v) },
      hovertemplate: `${v.label}: %{y} in flight at %{x:.1f} ms<extra></extra>`,
    });
    const counts = [records.length, peakInflight(records), meanInflight(records).toFixed(1)].map(String);
    rows.push([v.label, '#0', ...counts, formatMs(points.at(-1)!.t - points[0]!.t)]);
  }
  const layout = {
    xaxis: { title: { text: 'ms since the run started' }, rangemode: 'tozero' },
    yaxis: { title: { text: 'requests in flight' }, rangemode: 'tozero' },
  };
  const table = data.length
    ? textTable(rows)
    : 'no server records: the requests went to real URLs, whose servers do not report to us';
  return figure(m, 'Requests in flight, as the server saw them', data, layout, table);
}

/** The core's timeline of each way's first run, a group of lanes per way, in the way's colour. */
export function ioTimelineChart(m: IoMeasured): Figure {
  const chosen = firstRuns(m).filter((c) => c.run);
  const runs = chosen.map((c) => c.run!);
  return timelineChart(runs, {
    title: 'Timeline: each request on the lane of the thread that made it',
    category: (_, run) => run.label,
    colors: Object.fromEntries(chosen.map(({ v }) => [v.label, variantColor(v)])),
    label: (task) => `request ${task.index}`,
  });
}
