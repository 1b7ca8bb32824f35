/** Notebook 02's charts: what copying costs by message size, and the counter race. */
import { baseLayout, type Figure, type Trace } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { formatMs, textTable } from '../../core/summary';
import { formatBytes, type MessageCosts, SEND_METHODS } from './messages';
import { type CounterRace } from './race';

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
    layout: baseLayout(title, costs.env, {
      xaxis: { title: { text: 'message size (bytes)' }, type: 'log' },
      yaxis: { title: { text: 'round trip (ms)' }, type: 'log' },
    }),
    table: `${textTable(rows)}\n${costs.repeats} round trips per point; each one: send, the worker reads one byte per 4 KB page, a tiny answer.`,
  };
}

/** Colours of the three ways to add. */
export const COUNT_COLORS: Record<string, string> = { unsafe: '#ef553b', atomics: '#00cc96', lock: '#636efa' };

/** Builds the chart of `counterRace()`. */
export function counterRaceChart(race: CounterRace, options: { title?: string } = {}): Figure {
  const title =
    options.title ??
    `${race.threads} threads add 1 to a shared counter ${race.increments.toLocaleString('en')} times each, ${race.repeats} runs per way`;
  const modes = race.summary.map((s) => s.mode);
  const lost = modes.map((mode) => ({
    name: mode,
    values: race.runs.filter((r) => r.mode === mode).map((r) => r.lost),
    color: COUNT_COLORS[mode],
  }));
  const time = modes.map((mode) => ({
    name: mode,
    values: race.runs.filter((r) => r.mode === mode).map((r) => r.ms),
    color: COUNT_COLORS[mode],
  }));
  const rows = [['way', 'lost (median)', 'lost (min-max)', 'runs with losses', 'time (median)', 'time (min-max)']];
  for (const s of race.summary) {
    rows.push([
      s.mode,
      Math.round(s.lost.median).toLocaleString('en'),
      `${s.lost.min}-${s.lost.max}`,
      `${s.runsWithLosses} of ${s.lost.n}`,
      formatMs(s.ms.median),
      `${formatMs(s.ms.min)}-${formatMs(s.ms.max)}`,
    ]);
  }
  const expected = race.threads * race.increments;
  return {
    title,
    data: [...sampleBars(lost, 'lost'), ...sampleBars(time, 'ms', { xaxis: 'x2', yaxis: 'y2' })],
    layout: baseLayout(title, race.env, {
      showlegend: false,
      xaxis: { domain: [0, 0.45] },
      yaxis: { title: { text: `updates lost (of ${expected.toLocaleString('en')})` }, rangemode: 'tozero' },
      xaxis2: { domain: [0.55, 1], anchor: 'y2' },
      yaxis2: { title: { text: 'time (ms)' }, rangemode: 'tozero', anchor: 'x2' },
    }),
    table: `${textTable(rows)}\nexpected final count: ${expected.toLocaleString('en')} (${race.threads} x ${race.increments.toLocaleString('en')})`,
  };
}
