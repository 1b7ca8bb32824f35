/**
 * "What we measured" for the CPU-bound notebook and its headline, written from the numbers
 * of this run. Only sentences that depend on those numbers are here; what never changes (why
 * `Promise.all` cannot overlap work that never waits, why Node's threads are not held back by
 * a global lock, what the course measured) is in the notebook's markdown. Every explanation is
 * given only with the evidence for it, read from the task records: how many tasks were in
 * progress at once, how long a task took in a pool against on the main thread, and how long a
 * worker waited between one task and its next.
 */
import type { Comparison, Sweep, SweepPoint } from '../../core/measure';
import type { Mode } from '../../core/modes';
import type { Run, TaskRecord } from '../../core/records';
import { scalingPoints } from '../../charts/scaling';
import { median } from '../../core/stats';
import { formatMs, summarizeModes, type ModeSummary } from '../../core/summary';
import { compareTimes, count, versus } from '../../core/words';

/** The course's Python figures for 100 x cpu_bound_func(30), in seconds. */
export const COURSE_CPU_SECONDS = { sequential: 21, threads: 21.29, processes: 13 } as const;

/** Below this share of a task, the time a worker waits between tasks is not worth a sentence. */
const HANDOFF_SHARE = 0.25;

/** Below this share of a run on the calling thread, the time between its tasks is worth a sentence. */
const BUSY_SHARE = 0.75;

/** "ran 1.9x faster than ..." or "showed no measurable difference from ...". */
function ran(words: string): string {
  return words.startsWith('no measurable') ? `showed ${words}` : `ran ${words}`;
}

/** "3 threads", "1 process". */
function poolOf(mode: Mode, workers: number): string {
  return mode === 'processes' ? count(workers, 'process', 'processes') : count(workers, 'thread');
}

/** The input every task got, when the parameters stored with the result name it. */
function numOf(result: { params: Record<string, unknown> }): number | undefined {
  const num = result.params.num;
  return typeof num === 'number' ? num : undefined;
}

/** "100 x cpu(30)", or "100 tasks" when the input is not known. */
function tasksOf(result: Comparison): string {
  const num = numOf(result);
  return num === undefined ? count(result.tasks, 'task') : `${result.tasks} x ${result.workload}(${num})`;
}

/** The most tasks in progress at the same moment (one ending as another starts does not count). */
function mostAtOnce(tasks: readonly TaskRecord[]): number {
  const events = tasks.flatMap((t) => [
    { t: t.start, d: 1 },
    { t: t.end - 0.01, d: -1 },
  ]);
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of events) most = Math.max(most, (now += e.d));
  return most;
}

/** What the task records of one mode's runs show. */
interface ModeEvidence {
  /** Tasks in progress at once, at most (over the runs). */
  atOnce: number;
  /** Each task's time, from inside the worker that ran it, in ms. */
  taskMs: number[];
  /** The mean time a worker waited before each task: after the run began, or after its previous task ended. */
  waitMs: number;
}

/** Reads the evidence from the task records of runs of one mode (failed tasks left out). */
function evidence(runs: readonly Run[]): ModeEvidence {
  const ok = (run: Run) => run.tasks.filter((t) => t.ok && t.pid >= 0);
  const waits: number[] = [];
  for (const run of runs) {
    const lanes = new Map<string, TaskRecord[]>();
    for (const t of ok(run)) {
      const key = `${t.pid}:${t.threadId}`;
      lanes.set(key, [...(lanes.get(key) ?? []), t]);
    }
    for (const lane of lanes.values()) {
      lane.sort((a, b) => a.start - b.start);
      lane.forEach((t, i) => waits.push(Math.max(0, t.start - (i === 0 ? run.start : lane[i - 1]!.end))));
    }
  }
  return {
    atOnce: Math.max(0, ...runs.map((r) => mostAtOnce(ok(r)))),
    taskMs: runs.flatMap((r) => ok(r).map((t) => t.end - t.start)),
    waitMs: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
  };
}

/** "**3 of 300 tasks failed** (first: task 4 of repeat 0: boom)", or '' when none did. */
function failures(m: ModeSummary, total: number): string {
  const first = m.failures[0];
  if (!first) return '';
  return (
    ` **${m.failures.length} of ${count(total, 'task')} failed** (first: task ${first.index} of repeat ${first.repeat}: ` +
    `${first.message}), so this time does not measure the whole work.`
  );
}

/** The sentences the task records support, for one mode. */
function readTasks(m: ModeSummary, runs: readonly Run[], seqRuns: readonly Run[], cores: number): string[] {
  const e = evidence(runs);
  const out: string[] = [];
  if (m.mode === 'async' || m.mode === 'sequential') {
    if (m.mode === 'async' && e.atOnce === 1) out.push('Its tasks ran one at a time: none overlapped another.');
    if (e.atOnce > 1) out.push(`Up to ${count(e.atOnce, 'task')} were in progress at once.`);
    const busy = median(runs.map((r) => r.tasks.reduce((sum, t) => sum + (t.end - t.start), 0)));
    if (busy < BUSY_SHARE * m.wall.median) {
      out.push(
        `Its tasks ran for ${formatMs(busy)} of the ${formatMs(m.wall.median)} the run took (medians); the rest went between tasks.`,
      );
    }
    return out;
  }
  if (e.taskMs.length === 0) return out;
  const coresWords = count(cores, 'core');
  out.push(
    `Up to ${count(e.atOnce, 'task')} ${e.atOnce === 1 ? 'was' : 'were'} in progress at once, on ${coresWords}.`,
  );
  const seqTaskMs = evidence(seqRuns).taskMs;
  const task = median(e.taskMs);
  if (seqTaskMs.length) {
    const c = compareTimes({ runs: e.taskMs }, { runs: seqTaskMs });
    if (c.direction === 'slower') {
      const shared = e.atOnce > cores ? `: ${count(e.atOnce, 'task')} at once took turns on ${coresWords}` : '';
      out.push(
        `Each task ran ${c.words} than on the main thread (${formatMs(task)} against ${formatMs(median(seqTaskMs))}, medians)${shared}.`,
      );
    }
  }
  if (task > 0 && e.waitMs >= HANDOFF_SHARE * task) {
    const ratio = e.waitMs / task;
    const most =
      ratio > 1.2
        ? ': handing a task to a worker and back cost more than the task itself'
        : ratio >= 0.8
          ? ': handing a task to a worker and back cost about as much as the task itself'
          : '';
    out.push(
      `Before each task a worker waited ${formatMs(e.waitMs)} on average (a task handed over, a result handed back` +
        `${e.atOnce > cores ? ', a turn on a core' : ''}), ${((100 * e.waitMs) / task).toFixed(0)}% of the ${formatMs(task)} a task took${most}.`,
    );
  }
  return out;
}

/** Markdown that reads a CPU comparison (and optionally a sweep) and sets it beside the course. */
export function cpuFindings(result: Comparison, scaling?: Sweep): string {
  const summaries = summarizeModes(result);
  const by = (mode: Mode) => summaries.find((m) => m.mode === mode);
  const runsOf = (mode: Mode) => result.runs.filter((r) => r.mode === mode);
  const wall = (mode: Mode) => runsOf(mode).map((r) => r.wallMs);
  const seq = by('sequential');
  const cores = result.env.cores;
  const lines: string[] = [
    `On this machine (${count(cores, 'core')}, ${result.env.cpuModel}, Node ${result.env.node}), ${tasksOf(result)}:`,
    '',
  ];
  for (const m of summaries) {
    const n = m.wall.n > 1 ? ` of ${count(m.wall.n, 'run')}` : '';
    const pool = m.mode === 'threads' || m.mode === 'processes' ? ` (${poolOf(m.mode, m.workers)})` : '';
    const parts = [`${formatMs(m.wall.median)} median${n}.`];
    if (m.startupMs) parts.push(`The pool took ${formatMs(m.startupMs)} to start, not counted.`);
    if (seq && m !== seq) {
      parts.push(`Against sequential: ${versus(wall(m.mode), wall('sequential'), 'sequential', m.idealSpeedup)}.`);
    }
    if (m.mode === 'processes' && by('threads')) {
      const c = compareTimes({ runs: wall('processes') }, { runs: wall('threads') });
      parts.push(`Against the thread pool: ${c.direction === 'same' ? c.words : `${c.words} than the thread pool`}.`);
    }
    parts.push(...readTasks(m, runsOf(m.mode), runsOf('sequential'), cores));
    lines.push(`- **${m.mode}**${pool}: ${parts.join(' ')}${failures(m, result.tasks * m.wall.n)}`);
  }
  lines.push('', ...courseTable(result, summaries));
  if (scaling) lines.push('', ...scalingLines(scaling));
  return lines.join('\n');
}

/** The course's figures beside this run's, each against its own sequential time. */
function courseTable(result: Comparison, summaries: ModeSummary[]): string[] {
  const c = COURSE_CPU_SECONDS;
  const course = (s: number) => {
    const cmp = compareTimes({ runs: [s] }, { runs: [c.sequential] });
    return `${s} s, ${cmp.direction === 'same' ? cmp.words : `${cmp.words} than sequential`}`;
  };
  const seq = summaries.find((m) => m.mode === 'sequential');
  const wall = (mode: Mode) => result.runs.filter((r) => r.mode === mode).map((r) => r.wallMs);
  const here = (mode: Mode) => {
    const m = summaries.find((s) => s.mode === mode);
    if (!m) return 'not run';
    const time = `${poolOf(mode, m.workers)}: ${formatMs(m.wall.median)}`;
    return seq ? `${time}, ${versus(wall(mode), wall('sequential'), 'sequential', m.idealSpeedup)}` : time;
  };
  return [
    `| | the course (Python, 100 x cpu_bound_func(30)) | here (Node, ${tasksOf(result)}) |`,
    '| --- | --- | --- |',
    `| one after another | ${c.sequential} s | ${seq ? formatMs(seq.wall.median) : 'not run'} |`,
    `| a pool of threads | ThreadPoolExecutor: ${course(c.threads)} | ${here('threads')} |`,
    `| a pool of processes | ProcessPoolExecutor: ${course(c.processes)} | ${here('processes')} |`,
  ];
}

/** Each pool size against sequential, more workers than cores against one per core, and the Amdahl fit. */
function scalingLines(scaling: Sweep): string[] {
  const cores = scaling.env.cores;
  const base = scaling.baseline.map((r) => r.wallMs);
  const { baselineMs, serialFraction, points } = scalingPoints(scaling);
  const pool = (workers: number) => poolOf(scaling.mode, workers);
  const lines = [
    `**Scaling**, ${count(scaling.tasks, 'task')} on ${scaling.mode === 'threads' ? 'thread' : 'process'} pools of each size against sequential (${formatMs(baselineMs)}):`,
    '',
  ];
  let aboveIdeal = false;
  scaling.points.forEach((p, i) => {
    const point = points[i]!;
    const runs = p.runs.map((r) => r.wallMs);
    if (point.speedup > point.effective * 1.03) aboveIdeal = true;
    const failed = p.runs.reduce((sum, r) => sum + r.tasks.filter((t) => !t.ok).length, 0);
    const fails = failed ? ` **${failed} of ${count(p.runs.length * scaling.tasks, 'task')} failed.**` : '';
    lines.push(
      `- ${pool(p.workers)}: ${formatMs(point.medianMs)}, ${versus(runs, base, 'sequential', point.effective)}.${fails}`,
    );
  });
  const within = scaling.points.filter((p) => p.workers <= cores);
  const beyond = scaling.points.filter((p) => p.workers > cores);
  const ref = within[within.length - 1];
  const last = beyond[beyond.length - 1];
  const after: string[] = [];
  if (ref && last) {
    const c = compareTimes({ runs: last.runs.map((r) => r.wallMs) }, { runs: ref.runs.map((r) => r.wallMs) });
    const one = ref.workers === cores ? ' (one per core)' : '';
    const turns = c.direction === 'slower' ? `: ${pool(last.workers)} took turns on ${count(cores, 'core')}` : '';
    after.push(`${pool(last.workers)} against ${pool(ref.workers)}${one}: ${c.words}${turns}.`);
  }
  const parallel = scaling.points.filter((_, i) => points[i]!.effective > 1);
  const slower = (p: SweepPoint) =>
    compareTimes({ runs: p.runs.map((r) => r.wallMs) }, { runs: base }).direction === 'slower';
  if (parallel.length > 0 && parallel.every(slower)) {
    after.push(
      `No pool of more than ${pool(1)} beat sequential, so Amdahl's law, which never predicts a slowdown, does not describe these points.`,
    );
  } else if (parallel.length > 0) {
    const noise = aboveIdeal ? ', though points above the ideal pull it down' : '';
    after.push(`An Amdahl fit to these points puts the serial share at ${(serialFraction * 100).toFixed(1)}%${noise}.`);
  }
  if (after.length) lines.push('', after.join(' '));
  return lines;
}

/** One plain sentence from the result: the thread pool against sequential, true in every direction. */
export function cpuHeadline(result: Comparison): string {
  const summaries = summarizeModes(result);
  const by = (mode: Mode) => summaries.find((m) => m.mode === mode);
  const wall = (mode: Mode) => result.runs.filter((r) => r.mode === mode).map((r) => r.wallMs);
  const seq = by('sequential');
  const pool = by('threads') ?? by('processes');
  const cores = count(result.env.cores, 'core');
  const start = `CPU-bound, ${tasksOf(result)}`;
  if (!pool) {
    return seq ? `${start}: sequential took ${formatMs(seq.wall.median)} on ${cores}` : `${start} on ${cores}`;
  }
  const who = `a pool of ${poolOf(pool.mode, pool.workers)}`;
  const failed = pool.failures.length
    ? `; ${pool.failures.length} of ${count(result.tasks * pool.wall.n, 'task')} failed`
    : '';
  if (!seq) return `${start}: ${who} took ${formatMs(pool.wall.median)} on ${cores}${failed}`;
  const words = versus(wall(pool.mode), wall('sequential'), `sequential on ${cores}`, pool.idealSpeedup);
  return `${start}: ${who} ${ran(words)}${failed}`;
}
