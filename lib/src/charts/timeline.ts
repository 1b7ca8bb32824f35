/** Timeline (Gantt): each task a bar on the lane of the thread that ran it, host · pid · threadId. */
import type { Run, TaskRecord } from '../core/records';
import { formatMs, textTable } from '../core/summary';
import { baseLayout, colorOf, COLORS, type Figure, type Trace } from './figure';

/** Options of the timeline. */
export interface TimelineOptions {
  title?: string;
  /** Cores to state in the title (default: read from this machine). */
  cores?: number;
  /** Colours tasks by a category of your choosing instead of by mode (e.g. a recipe step's kind). */
  category?: (task: TaskRecord, run: Run) => string;
  /** Colours for the categories `category` returns. */
  colors?: Record<string, string>;
  /** Puts tasks on lanes of your choosing instead of one per thread (e.g. "robot 1 · order 2 pasta"). */
  lane?: (task: TaskRecord, run: Run) => string;
  /** Hover text of a task (default "task <index>"). */
  label?: (task: TaskRecord, run: Run) => string;
}

/** The lane a task ran on: "pid 1234 · thread 0", or "host-a · pid 1234 · thread 1" where it names its host. */
export function laneOf(task: Pick<TaskRecord, 'pid' | 'threadId' | 'host'>): string {
  if (task.pid < 0) return 'worker lost';
  return `${task.host ? `${task.host} · ` : ''}pid ${task.pid} · thread ${task.threadId}`;
}

/** Most task bars a timeline draws; a larger run draws every k-th task and says so in its title. */
export const MAX_BARS = 4000;

/** "2nd", "3rd", "25th". */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * Which of `total` tasks a chart draws a bar for: every k-th (k = 1 up to MAX_BARS tasks), and
 * failed ones besides, up to MAX_BARS of them; `note` is what its title adds when k > 1.
 */
export function sampling(
  total: number,
  noun = 'task',
): { keep: (index: number, ok: boolean) => boolean; note: string } {
  const every = Math.max(1, Math.ceil(total / MAX_BARS));
  let failures = 0;
  const keep = (index: number, ok: boolean) => index % every === 0 || (!ok && failures++ < MAX_BARS);
  const note =
    every > 1 ? ` (every ${ordinal(every)} ${noun} of ${total.toLocaleString('en-US')} drawn, and failed ones)` : '';
  return { keep, note };
}

/**
 * Builds a timeline of one or more runs; with several, lanes are prefixed by the run's
 * name (the mode, or a peer's label such as 'Python ProcessPoolExecutor(10)').
 */
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
      if (!groups.has(key)) {
        const color = !task.ok || category !== undefined ? undefined : colorOf(run);
        groups.set(key, { y: [], base: [], x: [], text: [], color });
      }
      const g = groups.get(key)!;
      g.y.push(lane);
      g.base.push(task.start - run.start);
      g.x.push(Math.max(task.end - task.start, 0.01));
      const label = options.label?.(task, run) ?? `task ${task.index}`;
      g.text.push(`${label}${task.ok ? '' : `: ${task.error ?? 'failed'}`}`);
    }
    for (const [lane, l] of [...byLane].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      lanes.push(lane);
      rows.push([
        several ? run.label : `${run.label} #${run.repeat}`,
        options.lane?.(l.first, run) ?? laneOf(l.first),
        String(l.count),
        formatMs(l.busy),
        formatMs(l.from - run.start),
        formatMs(l.to - run.start),
      ]);
    }
  }
  const data: Trace[] = [...groups].map(([key, g]) => ({
    type: 'bar',
    orientation: 'h',
    name: key,
    y: g.y,
    base: g.base,
    x: g.x,
    text: g.text,
    textposition: 'none',
    marker: {
      color: options.colors?.[key] ?? g.color ?? COLORS[key] ?? undefined,
      line: { width: 0.5, color: '#fff' },
    },
    hovertemplate: '%{text}<br>%{base:.1f} ms → +%{x:.1f} ms<extra>%{y}</extra>',
  }));
  const first = list[0]!;
  const title =
    (options.title ?? (several ? 'Timeline: one lane per thread' : `Timeline: ${first.label}, one lane per thread`)) +
    sampled;
  const cores = options.cores ?? first.cores;
  return {
    title,
    data,
    layout: baseLayout(title, cores, {
      barmode: 'overlay',
      height: Math.min(1400, 220 + 22 * lanes.length),
      xaxis: { title: { text: 'ms since the run started' }, rangemode: 'tozero' },
      yaxis: { categoryorder: 'array', categoryarray: [...lanes].reverse(), automargin: true },
    }),
    table: textTable(rows),
  };
}
