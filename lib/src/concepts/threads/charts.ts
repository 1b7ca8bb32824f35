/** The counter race: updates lost per way of adding (left) and the time each way took (right). */
import type { CounterRace } from './race';
import { formatMs, textTable } from '../../core/summary';
import { baseLayout, type Figure } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';

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
    layout: baseLayout(title, race.env.cores, {
      showlegend: false,
      xaxis: { domain: [0, 0.45] },
      yaxis: { title: { text: `updates lost (of ${expected.toLocaleString('en')})` }, rangemode: 'tozero' },
      xaxis2: { domain: [0.55, 1], anchor: 'y2' },
      yaxis2: { title: { text: 'time (ms)' }, rangemode: 'tozero', anchor: 'x2' },
    }),
    table: `${textTable(rows)}\nexpected final count: ${expected.toLocaleString('en')} (${race.threads} x ${race.increments.toLocaleString('en')})`,
  };
}
