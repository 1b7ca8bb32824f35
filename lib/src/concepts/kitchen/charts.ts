/** The robot kitchen's charts: a timeline per run, and the runs' totals against their ideals with their table. */
import { baseLayout, COLORS, type Figure } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { timelineChart } from '../../charts/timeline';
import { Tasks, type Run } from '../../core/records';
import { formatMs, textTable } from '../../core/summary';
import { count, percent } from '../../core/words';
import { ordersOf, typicalPass, type KitchenResult } from './run';

const RUN_COLORS = {
  sequential: COLORS.sequential,
  interleaved: COLORS.async,
  parallel: COLORS.threads,
  both: '#ffa15a',
};

/** The runs as a text table: their times, ideals and what sets them, and the speedup over one dish at a time. */
export function kitchenTable(result: KitchenResult): string {
  const seq = result.runs.find((r) => r.id === 'sequential');
  const rows = result.runs.map((r) => [
    r.title,
    String(r.robots.length),
    String(ordersOf(r)),
    ...[r.wall.median, r.wall.min, r.wall.max, r.ideal.ms].map(formatMs),
    r.ideal.why,
    percent(r.ideal.ms / r.wall.median),
    seq && r.id !== 'both' ? `${(seq.wall.median / r.wall.median).toFixed(2)}x` : '-',
  ]);
  const head = ['run', 'robots', 'orders', 'median', 'min', 'max', 'ideal', 'ideal set by', 'ideal/median', 'speedup'];
  return textTable([head, ...rows]);
}

/** A timeline per run (its typical pass): a lane per robot and order, all on one x range so their lengths compare. */
export function kitchenTimelines(result: KitchenResult): Figure[] {
  const cores = result.env.cores;
  const longest = Math.max(...result.runs.map((r) => typicalPass(r).wallMs));
  return result.runs.map((run) => {
    const p = typicalPass(run);
    const [tasks, results, workers] = [Tasks.of(p.steps), p.steps, run.robots.length];
    const view: Run = { ...p, label: run.title, mode: 'threads', origin: 'node', workers, cores, tasks, results };
    const step = (i: number) => p.steps[i]!;
    const figure = timelineChart(view, {
      title: `${run.title}: ${formatMs(p.wallMs)} (ideal ${formatMs(run.ideal.ms)})`,
      category: (t) => step(t.index).kind,
      colors: { 'hands-on': '#ef553b', waiting: '#9ecae1' },
      lane: (t) => `robot ${step(t.index).robot} · #${step(t.index).order} ${step(t.index).dish}`,
      label: ({ index: i }) =>
        `${step(i).dish} #${step(i).order}: ${step(i).step} (${step(i).kind}, planned ${formatMs(step(i).plannedMs)}, took ${formatMs(step(i).end - step(i).start)})`,
    });
    const xaxis = { ...(figure.layout.xaxis as object), range: [0, longest * 1.02] };
    return { ...figure, layout: { ...figure.layout, xaxis, showlegend: true } };
  });
}

/** The runs' wall times (median, min-max, every pass) against each run's ideal. */
export function kitchenChart(result: KitchenResult, options: { title?: string } = {}): Figure {
  const title = options.title ?? `The robot kitchen: time to serve, ${result.msPerMinute} ms per recipe minute`;
  const groups = result.runs.map((r) => ({
    name: r.title.replace(/, each interleaving$/, ''),
    values: r.passes.map((p) => p.wallMs),
    color: RUN_COLORS[r.id],
    text: formatMs(r.wall.median),
  }));
  const rate = Math.round(result.rate).toLocaleString('en');
  return {
    title,
    data: [
      ...sampleBars(groups, 'ms'),
      {
        type: 'scatter',
        mode: 'markers',
        name: 'ideal (the limit in the table)',
        x: groups.map((g) => g.name),
        y: result.runs.map((r) => r.ideal.ms),
        text: result.runs.map((r) => r.ideal.why),
        marker: { symbol: 'line-ew-open', size: 44, color: COLORS.ideal, line: { width: 3, color: COLORS.ideal } },
        hovertemplate: '%{x}: ideal %{y:.0f} ms (%{text})<extra></extra>',
      },
    ],
    layout: baseLayout(title, result.env, {
      yaxis: { title: { text: 'wall time (ms)' }, rangemode: 'tozero' },
      xaxis: { automargin: true },
      showlegend: true,
    }),
    table: `${kitchenTable(result)}\n${count(result.repeats, 'pass', 'passes')} per run; hands-on work calibrated at ${rate} loop rounds per ms`,
  };
}
