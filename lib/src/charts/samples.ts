/** Bars of repeated samples per category: median bar, min-max whiskers, every sample as a point. */
import { summarize } from '../core/stats';
import type { Trace } from './figure';

/** One category's samples, its colour, and an optional label over the bar. */
interface SampleGroup {
  name: string;
  values: readonly number[];
  color?: string;
  text?: string;
}

/** The traces of a median-bar chart with min-max whiskers and every sample; on axes `xaxis`/`yaxis` if given. */
export function sampleBars(
  groups: readonly SampleGroup[],
  unit: string,
  axes: { xaxis?: string; yaxis?: string } = {},
): Trace[] {
  const stats = groups.map((g) => summarize(g.values));
  const x = groups.map((g) => g.name);
  return [
    {
      type: 'bar',
      name: 'median',
      x,
      y: stats.map((s) => s.median),
      marker: { color: groups.map((g) => g.color ?? '#636efa') },
      error_y: {
        type: 'data',
        symmetric: false,
        array: stats.map((s) => s.max - s.median),
        arrayminus: stats.map((s) => s.median - s.min),
      },
      text: groups.map((g) => g.text ?? ''),
      textposition: 'outside',
      hovertemplate: `%{x}: median %{y:.2f} ${unit}<extra></extra>`,
      showlegend: false,
      ...axes,
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'each run',
      x: groups.flatMap((g) => g.values.map(() => g.name)),
      y: groups.flatMap((g) => [...g.values]),
      marker: { color: '#444', size: 6, symbol: 'circle-open' },
      hovertemplate: `%{x}: %{y:.2f} ${unit}<extra>one run</extra>`,
      showlegend: false,
      ...axes,
    },
  ];
}
