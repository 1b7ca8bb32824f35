/** Notebook 02's charts: what copying costs by message size, and the counter race. */
import { baseLayout, type Figure, type Trace } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { formatMs, textTable } from '../../core/summary';
import { formatBytes, SEND_METHODS, type MessageCosts } from './messages';
import type { CounterRace } from './race';

const SEND = {
  clone: { name: 'clone (copied)', color: '#ef553b' },
  transfer: { name: 'transfer (moved)', color: '#00cc96' },
  shared: { name: 'shared (SharedArrayBuffer)', color: '#636efa' },
};

/** Builds the chart of `messageCosts()`: one line per method, median round trip per size, min-max whiskers. */
export function messageCostChart(costs: MessageCosts, options: { title?: string } = {}): Figure {
  const title = options.title ?? 'Handing data to a thread: round trip vs message size';
  const data: Trace[] = SEND_METHODS.map((method) => {
    const points = costs.summary.filter((s) => s.method === method);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: SEND[method].name,
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
      line: { color: SEND[method].color },
    };
  });
  const rows = costs.sizes.map((bytes) => {
    const at = (m: string) => costs.summary.find((s) => s.method === m && s.bytes === bytes)!.ms.median;
    const ratio = `${(at('clone') / at('shared')).toFixed(1)}x`;
    return [formatBytes(bytes), ...SEND_METHODS.map((m) => formatMs(at(m))), ratio];
  });
  return {
    title,
    data,
    layout: baseLayout(title, costs.env, {
      xaxis: { title: { text: 'message size (bytes)' }, type: 'log' },
      yaxis: { title: { text: 'round trip (ms)' }, type: 'log' },
    }),
    table: `${textTable([['size', ...SEND_METHODS.map((m) => `${m} (median)`), 'clone / shared'], ...rows])}\n${costs.repeats} round trips per point; each one: send, the worker reads one byte per 4 KB page, a tiny answer.`,
  };
}

const COUNT_COLORS: Record<string, string> = { unsafe: '#ef553b', atomics: '#00cc96', lock: '#636efa' };

/** Builds the chart of `counterRace()`: per way, the updates lost and the time, every run a point. */
export function counterRaceChart(race: CounterRace, options: { title?: string } = {}): Figure {
  const n = (v: number) => Math.round(v).toLocaleString('en');
  const title =
    options.title ??
    `${race.threads} threads add 1 to a shared counter ${n(race.increments)} times each, ${race.repeats} runs per way`;
  const groups = (key: 'lost' | 'ms') =>
    race.summary.map(({ mode }) => ({
      name: mode,
      values: race.runs.filter((r) => r.mode === mode).map((r) => r[key]),
      color: COUNT_COLORS[mode],
    }));
  const rows = race.summary.map((s) => [
    s.mode,
    n(s.lost.median),
    `${s.lost.min}-${s.lost.max}`,
    `${s.runsWithLosses} of ${s.lost.n}`,
    formatMs(s.ms.median),
    `${formatMs(s.ms.min)}-${formatMs(s.ms.max)}`,
  ]);
  const expected = race.threads * race.increments;
  return {
    title,
    data: [...sampleBars(groups('lost'), 'lost'), ...sampleBars(groups('ms'), 'ms', { xaxis: 'x2', yaxis: 'y2' })],
    layout: baseLayout(title, race.env, {
      showlegend: false,
      xaxis: { domain: [0, 0.45] },
      yaxis: { title: { text: `updates lost (of ${n(expected)})` }, rangemode: 'tozero' },
      xaxis2: { domain: [0.55, 1], anchor: 'y2' },
      yaxis2: { title: { text: 'time (ms)' }, rangemode: 'tozero', anchor: 'x2' },
    }),
    table: `${textTable([['way', 'lost (median)', 'lost (min-max)', 'runs with losses', 'time (median)', 'time (min-max)'], ...rows])}\nexpected final count: ${n(expected)} (${race.threads} x ${n(race.increments)})`,
  };
}
