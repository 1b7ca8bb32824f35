/** Cost of handing data to a worker thread (clone, transfer, shared) against the data's size, log-log. */
import { formatBytes, SEND_METHODS, type MessageCosts } from './messages';
import { formatMs, textTable } from '../../core/summary';
import { baseLayout, type Figure, type Trace } from '../../charts/figure';

/** Colours of the three ways to send. */
export const SEND_COLORS: Record<string, string> = { clone: '#ef553b', transfer: '#00cc96', shared: '#636efa' };

/** Builds the chart of `messageCosts()`: one line per method, median round trip per size, min-max whiskers. */
export function messageCostChart(costs: MessageCosts, options: { title?: string } = {}): Figure {
  const title = options.title ?? 'Handing data to a thread: round trip vs message size';
  const data: Trace[] = SEND_METHODS.map((method) => {
    const points = costs.summary.filter((s) => s.method === method);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name:
        method === 'clone'
          ? 'clone (copied)'
          : method === 'transfer'
            ? 'transfer (moved)'
            : 'shared (SharedArrayBuffer)',
      x: points.map((p) => p.bytes),
      y: points.map((p) => p.ms.median),
      error_y: {
        type: 'data',
        symmetric: false,
        array: points.map((p) => p.ms.max - p.ms.median),
        arrayminus: points.map((p) => p.ms.median - p.ms.min),
      },
      text: points.map((p) => formatBytes(p.bytes)),
      hovertemplate: `${method}, %{text}: median %{y:.3f} ms<extra></extra>`,
      line: { color: SEND_COLORS[method] },
    };
  });
  const rows = [['size', ...SEND_METHODS.map((m) => `${m} (median)`), 'clone / shared']];
  for (const bytes of costs.sizes) {
    const at = (m: string) => costs.summary.find((s) => s.method === m && s.bytes === bytes)!.ms.median;
    rows.push([
      formatBytes(bytes),
      ...SEND_METHODS.map((m) => formatMs(at(m))),
      `${(at('clone') / at('shared')).toFixed(1)}x`,
    ]);
  }
  return {
    title,
    data,
    layout: baseLayout(title, costs.env.cores, {
      xaxis: { title: { text: 'message size (bytes)' }, type: 'log' },
      yaxis: { title: { text: 'round trip (ms)' }, type: 'log' },
    }),
    table: `${textTable(rows)}\n${costs.repeats} round trips per point; each one: send, the worker reads one byte per 4 KB page, a tiny answer.`,
  };
}
