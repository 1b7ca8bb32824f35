/** The numbers of notebook 07 and `concurrency-lab queue`, which its charts and findings both read. */
import { taskTimes } from '../../core/evidence';
import { runsOf, type Comparison } from '../../core/measure';
import { median } from '../../core/stats';
import type { Recovery } from './recovery';
import { brokerMsPerJob } from './run';
import { fitUsl, onPaper } from './usl';

/** A time in ms, in µs when small. */
export const ms = (v: number) =>
  v !== 0 && Math.abs(v) < 0.1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`;

/** A rate: '12.3/s', or in other units ('12.3 tasks/s'). */
export const perSecond = (v: number, unit = '/s') => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}${unit}`;

/** Worker counts the paper model is read at. */
export const PAPER_WORKERS = [8, 32, 128] as const;

/** Everything the queue experiment measured (any part may be missing but the comparison). */
export interface QueueMeasured {
  /** The CPU tasks on the process pool and on queue workers (and sequential, if run). */
  comparison: Comparison;
  /** A task that does nothing through one worker of each kind (queue.roundTrip). */
  trip?: Comparison;
  /** The same tasks on process pools and queue workers of each size (queue.scaling). */
  scaling?: Comparison;
  /** On paper: a network round trip between a worker and the broker, for the law for many machines (needs trip and scaling). */
  rttMs?: number;
  recovery?: Recovery;
  /** On hosts: a host's link cut mid-task (`remote.partition(...)`'s recovery). */
  cut?: Recovery;
}

export type QueueSummary = ReturnType<typeof queueSummary>;

/** Reads a queue measurement: the widest queue row against the process pool of its size, the round trip, the sweep. */
export function queueSummary(m: QueueMeasured) {
  const c = m.comparison;
  const queue = c.rows
    .filter((r) => r.mode === 'queue' && r.origin === 'node')
    .sort((a, b) => b.workers - a.workers)[0];
  const pool = c.rows.find((r) => r.mode === 'processes' && r.workers === queue?.workers);
  const walls = (row?: { label: string }) => (row ? runsOf(c, row.label).map((r) => r.wallMs) : []);
  const perTask = (t: Comparison, mode: string) =>
    runsOf(t, t.rows.find((r) => r.mode === mode)!.label).map((r) => r.wallMs / r.tasks.length);
  const s = m.scaling;
  const scale = [...new Set(s?.rows.map((r) => r.workers))]
    .sort((a, b) => a - b)
    .map((workers) => {
      const of = (mode: string) => s!.rows.find((r) => r.mode === mode && r.workers === workers)!.label;
      const throughputs = (label: string) => runsOf(s!, label).map((r) => (1000 * r.tasks.length) / r.wallMs);
      return {
        workers,
        processes: throughputs(of('processes')),
        queue: throughputs(of('queue')),
        brokerMsPerJob: median(brokerMsPerJob(s!, of('queue'))),
      };
    });
  const points = scale.map((p) => ({ n: p.workers, x: median(p.queue) }));
  const tasks = queue ? taskTimes(runsOf(c, queue.label)) : [];
  const t = m.trip;
  return {
    /** Time per task of a task that does nothing, per kind of worker, each run (ms). */
    trip: t && {
      threads: perTask(t, 'threads'),
      processes: perTask(t, 'processes'),
      queue: perTask(t, 'queue'),
      brokerMsPerJob: median(brokerMsPerJob(t, t.rows.find((r) => r.mode === 'queue')!.label)),
    },
    /** The CPU comparison: each kind's wall times at the same worker count. */
    queueWalls: walls(queue),
    processWalls: walls(pool),
    workers: queue?.workers ?? c.workers,
    /** One task's work on a queue worker (ms, median; NaN when every task failed). */
    taskMs: tasks.length ? median(tasks) : NaN,
    scale,
    /** The USL fitted to the queue's scaling points (needs a point at one worker). */
    fit: points.some((p) => p.n === 1) ? fitUsl(points) : undefined,
    /** The law on paper for workers on many machines, from this run's parts. */
    model: t && s && m.rttMs !== undefined ? onPaper(s, t, m.rttMs) : undefined,
  };
}
