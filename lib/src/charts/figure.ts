/** A chart as data: a plotly spec plus the same numbers as a plain-text table. */

/** A plotly trace (kept loose: plotly's own typings are not a dependency). */
export type Trace = Record<string, unknown>;

/** A plotly figure and its text twin, for readers without JavaScript. */
export interface Figure {
  title: string;
  data: Trace[];
  layout: Record<string, unknown>;
  /** The chart's numbers as a fixed-width text table. */
  table: string;
}

/** Mode colours, the same in every chart. */
export const COLORS: Record<string, string> = {
  sequential: '#636efa',
  async: '#00cc96',
  threads: '#ef553b',
  processes: '#ab63fa',
  ideal: '#222222',
  failed: '#d62728',
};

/** Shared layout: title with the machine's core count, readable margins. */
export function baseLayout(title: string, cores: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: `${title}<br><sub>${cores} core${cores === 1 ? '' : 's'}</sub>` },
    margin: { t: 70, l: 70, r: 20, b: 110 },
    height: 460,
    legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
    ...extra,
  };
}
