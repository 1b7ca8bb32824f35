/**
 * I/O charts against the physical bound: wall time per way of waiting, and wall time
 * against concurrency. For waiting (not computing), the bound is set by the latency and how
 * many requests are in flight at once: ceil(requests / concurrency) x latency.
 */
import type { IoExperiment } from './run';
import { ioSummaries, type IoVariantSummary } from './summary';
import { formatMs, textTable } from '../../core/summary';
import { baseLayout, COLORS, type Figure, type Trace } from '../../charts/figure';

/** The colour of a variant: its mode's, with the blocking client a shade darker. */
export function variantColor(s: Pick<IoVariantSummary, 'mode' | 'label'>): string {
  if (s.label.startsWith('blocking')) {
    return { async: '#007a5a', threads: '#b0301f', processes: '#6f3ab0' }[s.mode as string] ?? '#555';
  }
  return COLORS[s.mode] ?? '#555';
}

function describeTarget(experiment: IoExperiment): string {
  return experiment.latencyMs === undefined
    ? `${experiment.urls.length} URL${experiment.urls.length === 1 ? '' : 's'}`
    : `${formatMs(experiment.latencyMs)} latency`;
}

/** The rows both charts' tables share. */
function rowsOf(summaries: readonly IoVariantSummary[]): string[][] {
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
export function boundChart(experiment: IoExperiment, options: { title?: string } = {}): Figure {
  const summaries = ioSummaries(experiment);
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
    x: experiment.variants.flatMap((v) => v.comparison.runs.map(() => v.variant.label)),
    y: experiment.variants.flatMap((v) => v.comparison.runs.map((r) => s2(r.wallMs))),
    marker: { color: '#444', size: 6, symbol: 'circle-open' },
    hovertemplate: '%{x}: %{y:.3f} s<extra>one run</extra>',
  };
  const traces = [bars, runs];
  if (summaries.some((s) => s.boundMs !== undefined)) {
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: 'bound: ceil(requests / in flight) x latency',
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
    layout: baseLayout(title, experiment.env.cores, {
      yaxis: { title: { text: 'wall time (s)' }, rangemode: 'tozero' },
      xaxis: { automargin: true },
      showlegend: true,
    }),
    table: textTable(rowsOf(summaries)),
  };
}

/** Wall time against requests in flight (log-log), each variant a point, with the bound as a line. */
export function concurrencyChart(experiment: IoExperiment, options: { title?: string } = {}): Figure {
  const summaries = [...ioSummaries(experiment)].sort((a, b) => a.concurrency - b.concurrency);
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
      name: 'bound: ceil(requests / in flight) x latency',
      marker: { size: 5, color: COLORS.ideal },
      x: xs,
      y: xs.map((c) => s2(Math.ceil(experiment.requests / c) * experiment.latencyMs!)),
      line: { color: COLORS.ideal, dash: 'dash', shape: 'hv' },
    });
  }
  const title =
    options.title ?? `${experiment.requests} requests, ${describeTarget(experiment)}: time against requests in flight`;
  return {
    title,
    data: traces,
    layout: baseLayout(title, experiment.env.cores, {
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
