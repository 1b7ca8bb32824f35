/** One timeline of every way of waiting: each request a bar on the lane (variant · pid · thread) that made it. */
import type { IoExperiment } from './run';
import type { TaskRecord } from '../../core/records';
import { formatMs, textTable } from '../../core/summary';
import { variantColor } from './charts';
import { COLORS, baseLayout, type Figure, type Trace } from '../../charts/figure';
import { laneOf } from '../../charts/timeline';

/** Options of the I/O timeline. */
export interface IoTimelineOptions {
  title?: string;
  /** Which timed run of each variant to draw (default 0). */
  repeat?: number;
  /** Only these variants, by label (default all). */
  variants?: readonly string[];
}

/** Builds the timeline: time since each variant's run started, one group of lanes per variant. */
export function ioTimelineChart(experiment: IoExperiment, options: IoTimelineOptions = {}): Figure {
  const repeat = options.repeat ?? 0;
  const lanes: string[] = [];
  const traces: Trace[] = [];
  const failed = { y: [] as string[], base: [] as number[], x: [] as number[], text: [] as string[] };
  const rows = [['variant', 'lane', 'requests', 'busy', 'last end']];
  for (const v of experiment.variants) {
    if (options.variants && !options.variants.includes(v.variant.label)) continue;
    const run = v.comparison.runs.find((r) => r.repeat === repeat);
    if (!run) continue;
    const ok = { y: [] as string[], base: [] as number[], x: [] as number[], text: [] as string[] };
    const byLane = new Map<string, TaskRecord[]>();
    for (const task of run.tasks) {
      const lane = `${v.variant.label} · ${laneOf(task)}`;
      if (!byLane.has(lane)) byLane.set(lane, []);
      byLane.get(lane)!.push(task);
      const g = task.ok ? ok : failed;
      g.y.push(lane);
      g.base.push(task.start - run.start);
      g.x.push(Math.max(task.end - task.start, 0.01));
      g.text.push(`request ${task.index}${task.ok ? '' : `: ${task.error ?? 'failed'}`}`);
    }
    for (const [lane, tasks] of [...byLane].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      lanes.push(lane);
      rows.push([
        v.variant.label,
        laneOf(tasks[0]!),
        String(tasks.length),
        formatMs(tasks.reduce((s, t) => s + (t.end - t.start), 0)),
        formatMs(Math.max(...tasks.map((t) => t.end)) - run.start),
      ]);
    }
    if (ok.y.length)
      traces.push(bar(v.variant.label, ok, variantColor({ mode: v.variant.mode, label: v.variant.label })));
  }
  if (failed.y.length) traces.push(bar('failed', failed, COLORS.failed!));
  const title = options.title ?? 'Timeline: each request on the lane of the thread that made it';
  return {
    title,
    data: traces,
    layout: baseLayout(title, experiment.env.cores, {
      barmode: 'overlay',
      height: Math.min(1400, 160 + 22 * lanes.length),
      xaxis: { title: { text: 'ms since the run started' }, rangemode: 'tozero' },
      yaxis: { categoryorder: 'array', categoryarray: [...lanes].reverse(), automargin: true },
    }),
    table: textTable(rows),
  };
}

function bar(name: string, g: { y: string[]; base: number[]; x: number[]; text: string[] }, color: string): Trace {
  return {
    type: 'bar',
    orientation: 'h',
    name,
    ...g,
    textposition: 'none',
    opacity: 0.75,
    marker: { color, line: { width: 0.5, color: '#fff' } },
    hovertemplate: '%{text}<br>%{base:.1f} ms → +%{x:.1f} ms<extra>%{y}</extra>',
  };
}
