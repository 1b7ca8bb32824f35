/**
 * The robot kitchen's charts: a timeline per run (a lane per robot and order, steps coloured
 * hands-on vs waiting; drawn by the shared timeline) and the runs' totals against their ideals.
 */
import type { StepRecord } from './cook';
import { kitchenTable, typicalPass, type KitchenResult, type KitchenRun } from './run';
import { Tasks, type Run } from '../../core/records';
import { formatMs } from '../../core/summary';
import { count } from '../../core/words';
import { baseLayout, COLORS, type Figure } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { timelineChart } from '../../charts/timeline';

/** Step colours: hands-on (the robot's hands, a CPU) and waiting (a timer). */
export const KITCHEN_COLORS: Record<string, string> = { 'hands-on': '#ef553b', waiting: '#9ecae1' };

const RUN_COLORS: Record<string, string> = {
  sequential: COLORS.sequential!,
  interleaved: COLORS.async!,
  parallel: COLORS.threads!,
  both: '#ffa15a',
};

/** A run's typical pass in the shape the timeline reads. */
export function kitchenTimelineRun(run: KitchenRun, cores: number): Run {
  const p = typicalPass(run);
  const mode = run.id === 'sequential' ? 'sequential' : run.robots.length === 1 ? 'async' : 'threads';
  return {
    label: run.title,
    mode,
    origin: 'node',
    workers: run.robots.length,
    cores,
    repeat: p.repeat,
    start: p.start,
    end: p.end,
    wallMs: p.wallMs,
    tasks: Tasks.of(p.steps),
    results: p.steps,
  };
}

/** The timeline of one run: a lane per robot and order, hands-on steps red, waiting steps blue. */
export function kitchenTimeline(run: KitchenRun, options: { cores: number }): Figure {
  const p = typicalPass(run);
  const title = `${run.title}: ${formatMs(p.wallMs)} (ideal ${formatMs(run.ideal.ms)})`;
  const figure = timelineChart(kitchenTimelineRun(run, options.cores), {
    title,
    cores: options.cores,
    category: (t, r) => (r.results[t.index] as StepRecord).kind,
    colors: KITCHEN_COLORS,
    lane: (t, r) => {
      const s = r.results[t.index] as StepRecord;
      return `robot ${s.robot} · #${s.order} ${s.dish}`;
    },
    label: (t, r) => {
      const s = r.results[t.index] as StepRecord;
      return `${s.dish} #${s.order}: ${s.step} (${s.kind}, planned ${formatMs(s.plannedMs)}, took ${formatMs(s.end - s.start)})`;
    },
  });
  return { ...figure, layout: { ...figure.layout, showlegend: true } };
}

/** One timeline per run, the same x range for all so their lengths compare at a glance. */
export function kitchenTimelines(result: KitchenResult): Figure[] {
  const longest = Math.max(...result.runs.map((r) => typicalPass(r).wallMs));
  return result.runs.map((run) => {
    const f = kitchenTimeline(run, { cores: result.env.cores });
    const xaxis = { ...(f.layout.xaxis as Record<string, unknown>), range: [0, longest * 1.02] };
    return { ...f, layout: { ...f.layout, xaxis } };
  });
}

/** The runs' wall times (median, min-max, every pass) against each run's ideal. */
export function kitchenChart(result: KitchenResult, options: { title?: string } = {}): Figure {
  const title = options.title ?? `The robot kitchen: time to serve, ${result.msPerMinute} ms per recipe minute`;
  const name = (r: KitchenRun) => `${r.title}`.replace(/, each interleaving$/, '');
  const groups = result.runs.map((r) => ({
    name: name(r),
    values: r.passes.map((p) => p.wallMs),
    color: RUN_COLORS[r.id],
    text: formatMs(r.wall.median),
  }));
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
    table: `${kitchenTable(result)}\n${count(result.repeats, 'pass', 'passes')} per run; hands-on work calibrated at ${Math.round(result.rate).toLocaleString('en')} loop rounds per ms`,
  };
}
