/** Timeline (Gantt): each task a bar on the lane of the thread that ran it, host · pid · threadId. */
import type { Run, TaskRecord } from '../core/records';
import { formatMs, textTable } from '../core/summary';
import { baseLayout, colorOf, COLORS, type Figure, type Trace } from './figure';

type Read = (task: TaskRecord, run: Run) => string;

interface TimelineOptions {
  title?: string;
  /** Cores to state in the title (default: the first run's). */
  cores?: number;
  /** Colours tasks by a category of your choosing (e.g. a recipe step's kind), with `colors`, instead of by mode. */
  category?: Read;
  colors?: Record<string, string>;
  /** A task's lane instead of its thread's (e.g. "robot 1 · order 2 pasta"), and its hover text instead of "task <i>". */
  lane?: Read;
  label?: Read;
}

/** The lane a task ran on: "pid 1234 · thread 0", or "host-a · pid 1234 · thread 1" where it names its host. */
function laneOf(task: TaskRecord): string {
  if (task.pid < 0) return 'worker lost';
  return `${task.host ? `${task.host} · ` : ''}pid ${task.pid} · thread ${task.threadId}`;
}

/** Most task bars a timeline draws; a larger run draws every k-th task and says so in its title. */
const MAX_BARS = 4000;

/** "2nd", "3rd", "25th". */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Which of `total` tasks get a bar: every k-th, and up to MAX_BARS failed ones; `note` is what the title adds. */
function sampling(total: number): { keep: (index: number, ok: boolean) => boolean; note: string } {
  const every = Math.max(1, Math.ceil(total / MAX_BARS));
  let failures = 0;
  const keep = (index: number, ok: boolean) => index % every === 0 || (!ok && failures++ < MAX_BARS);
  const note =
    every > 1 ? ` (every ${ordinal(every)} task of ${total.toLocaleString('en-US')} drawn, and failed ones)` : '';
  return { keep, note };
}

/** Builds a timeline of one or more runs; with several, lanes are prefixed by the run's label. */
export function timelineChart(runs: Run | readonly Run[], options: TimelineOptions = {}): Figure {
  const list: readonly Run[] = Array.isArray(runs) ? runs : [runs as Run];
  if (list.length === 0) throw new Error('timelineChart needs at least one run');
  const several = list.length > 1;
  const total = list.reduce((n, r) => n + r.tasks.length, 0);
  const { keep, note: sampled } = sampling(total);
  const groups = new Map<string, { y: string[]; base: number[]; x: number[]; text: string[]; color?: string }>();
  const lanes: string[] = [];
  const rows = [['run', 'lane', 'tasks', 'busy', 'first start', 'last end']];
  for (const run of list) {
    const prefix = several ? `${run.label} · ` : '';
    // Each lane's totals as the tasks go by (a run's records are not all kept as objects at once).
    const byLane = new Map<string, { first: TaskRecord; count: number; busy: number; from: number; to: number }>();
    for (const task of run.tasks) {
      const lane = prefix + (options.lane?.(task, run) ?? laneOf(task));
      const l = byLane.get(lane) ?? { first: task, count: 0, busy: 0, from: Infinity, to: -Infinity };
      byLane.set(lane, l);
      l.count++;
      l.busy += task.end - task.start;
      l.from = Math.min(l.from, task.start);
      l.to = Math.max(l.to, task.end);
      if (!keep(task.index, task.ok)) continue;
      const category = options.category?.(task, run);
      const key = !task.ok ? 'failed' : (category ?? run.label);
      const color = !task.ok || category !== undefined ? undefined : colorOf(run);
      const g = groups.get(key) ?? { y: [], base: [], x: [], text: [], color };
      groups.set(key, g);
      g.y.push(lane);
      g.base.push(task.start - run.start);
      g.x.push(Math.max(task.end - task.start, 0.01));
      const label = options.label?.(task, run) ?? `task ${task.index}`;
      g.text.push(`${label}${task.ok ? '' : `: ${task.error ?? 'failed'}`}`);
    }
    for (const [lane, l] of [...byLane].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      lanes.push(lane);
      const name = options.lane?.(l.first, run) ?? laneOf(l.first);
      const times = [l.busy, l.from - run.start, l.to - run.start].map(formatMs);
      rows.push([several ? run.label : `${run.label} #${run.repeat}`, name, String(l.count), ...times]);
    }
  }
  const data: Trace[] = [...groups].map(([key, { color, ...bars }]) => ({
    type: 'bar',
    orientation: 'h',
    name: key,
    ...bars,
    textposition: 'none',
    marker: { color: options.colors?.[key] ?? color ?? COLORS[key], line: { width: 0.5, color: '#fff' } },
    hovertemplate: '%{text}<br>%{base:.1f} ms → +%{x:.1f} ms<extra>%{y}</extra>',
  }));
  const first = list[0]!;
  const title =
    (options.title ?? (several ? 'Timeline: one lane per thread' : `Timeline: ${first.label}, one lane per thread`)) +
    sampled;
  return {
    title,
    data,
    layout: baseLayout(title, options.cores ?? first.cores, {
      barmode: 'overlay',
      height: Math.min(1400, 220 + 22 * lanes.length),
      xaxis: { title: { text: 'ms since the run started' }, rangemode: 'tozero' },
      yaxis: { categoryorder: 'array', categoryarray: [...lanes].reverse(), automargin: true },
    }),
    table: textTable(rows),
  };
}
