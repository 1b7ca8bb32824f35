/** What it costs to start a process or a thread: median bars, min-max whiskers, every start as a point. */
import { baseLayout, COLORS, type Figure } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { formatMs, textTable } from '../../core/summary';
import type { StartupCosts } from './run';

const KIND_COLORS = {
  'spawn true': '#999',
  'spawn node': COLORS.processes,
  'fork node': '#7d3fc4',
  'worker thread': COLORS.threads,
};

export function startupChart(costs: StartupCosts, options: { title?: string } = {}): Figure {
  const title = options.title ?? `Start-up cost: from asking to the first answer, ${costs.repeats} starts each`;
  const groups = costs.summary.map(({ kind, ms }) => ({
    name: kind,
    values: costs.samples.filter((s) => s.kind === kind).map((s) => s.ms),
    color: KIND_COLORS[kind],
    text: formatMs(ms.median),
  }));
  const rows = costs.summary.map(({ kind, ms }) => [kind, ...[ms.median, ms.min, ms.max].map(formatMs), String(ms.n)]);
  const yaxis = { title: { text: 'ms until it answers' }, rangemode: 'tozero' };
  return {
    title,
    data: sampleBars(groups, 'ms'),
    layout: baseLayout(title, costs.env, { yaxis, showlegend: false }),
    table: textTable([['start', 'median', 'min', 'max', 'starts'], ...rows]),
  };
}
