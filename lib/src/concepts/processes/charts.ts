/** What it costs to start a process or a thread: median bars, min-max whiskers, every start as a point. */
import type { StartupCosts } from './run';
import { formatMs, textTable } from '../../core/summary';
import { baseLayout, COLORS, type Figure } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';

const KIND_COLORS: Record<string, string> = {
  'spawn true': '#999999',
  'spawn node': COLORS.processes!,
  'fork node': '#7d3fc4',
  'worker thread': COLORS.threads!,
};

/** Builds the start-up cost chart of `startupCosts()`. */
export function startupChart(costs: StartupCosts, options: { title?: string } = {}): Figure {
  const title = options.title ?? `Start-up cost: from asking to the first answer, ${costs.repeats} starts each`;
  const groups = costs.kinds.map((kind) => {
    const values = costs.samples.filter((s) => s.kind === kind).map((s) => s.ms);
    const median = costs.summary.find((s) => s.kind === kind)!.ms.median;
    return { name: kind, values, color: KIND_COLORS[kind], text: formatMs(median) };
  });
  const rows = [['start', 'median', 'min', 'max', 'starts']];
  for (const { kind, ms } of costs.summary)
    rows.push([kind, formatMs(ms.median), formatMs(ms.min), formatMs(ms.max), String(ms.n)]);
  return {
    title,
    data: sampleBars(groups, 'ms'),
    layout: baseLayout(title, costs.env, {
      yaxis: { title: { text: 'ms until it answers' }, rangemode: 'tozero' },
      showlegend: false,
    }),
    table: textTable(rows),
  };
}
