/** The numbers of notebook 07 and `concurrency-lab queue`, which its charts and findings both read. */
import { taskTimes } from '../../core/evidence';
import { runsOf, type Comparison } from '../../core/measure';
import { median } from '../../core/stats';
import type { Recovery } from './recovery';
import { brokerMsPerJob } from './run';
import { fitUsl, onPaper, type DistributedModel, type Usl } from './usl';

/** A time in ms, in µs when small. */
export const ms = (v: number) =>
  v !== 0 && Math.abs(v) < 0.1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`;

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
}

/** Tasks per second of each run of a row. */
export function throughputs(c: Comparison, label: string): number[] {
  return runsOf(c, label).map((r) => (1000 * r.tasks.length) / r.wallMs);
}

/** One worker count of the scaling run: both kinds' throughput and the broker's time per job. */
export interface ScalePoint {
  workers: number;
  processes: number[];
  queue: number[];
  brokerMsPerJob: number;
}

/** The numbers of a queue measurement. */
export interface QueueSummary {
  /** Time per task of a task that does nothing, per kind of worker, each run (ms). */
  trip?: { threads: number[]; processes: number[]; queue: number[]; brokerMsPerJob: number };
  /** The CPU comparison: each kind's wall times at the same worker count. */
  queueWalls: number[];
  processWalls: number[];
  workers: number;
  /** One task's work on a queue worker (ms, median). */
  taskMs: number;
  scale: ScalePoint[];
  /** The USL fitted to the queue's scaling points (needs a point at one worker). */
  fit?: Usl;
  /** The law on paper for workers on many machines, from this run's parts. */
  model?: DistributedModel;
}

/** The median, or NaN when every task failed (there is no task time to read). */
const medianOrNaN = (values: readonly number[]) => (values.length ? median(values) : NaN);

/** Reads a queue measurement. */
export function queueSummary(m: QueueMeasured): QueueSummary {
  const c = m.comparison;
  const queue = c.rows
    .filter((r) => r.mode === 'queue' && r.origin === 'node')
    .sort((a, b) => b.workers - a.workers)[0];
  const pool = c.rows.find((r) => r.mode === 'processes' && r.workers === queue?.workers);
  const perTask = (mode: string) => {
    const row = m.trip!.rows.find((r) => r.mode === mode)!;
    return runsOf(m.trip!, row.label).map((r) => r.wallMs / r.tasks.length);
  };
  const s = m.scaling;
  const scale = s
    ? [...new Set(s.rows.map((r) => r.workers))]
        .sort((a, b) => a - b)
        .map((workers) => {
          const of = (mode: string) => s.rows.find((r) => r.mode === mode && r.workers === workers)!.label;
          return {
            workers,
            processes: throughputs(s, of('processes')),
            queue: throughputs(s, of('queue')),
            brokerMsPerJob: median(brokerMsPerJob(s, of('queue'))),
          };
        })
    : [];
  const points = scale.map((p) => ({ n: p.workers, x: median(p.queue) }));
  return {
    ...(m.trip
      ? {
          trip: {
            threads: perTask('threads'),
            processes: perTask('processes'),
            queue: perTask('queue'),
            brokerMsPerJob: median(brokerMsPerJob(m.trip, m.trip.rows.find((r) => r.mode === 'queue')!.label)),
          },
        }
      : {}),
    queueWalls: queue ? runsOf(c, queue.label).map((r) => r.wallMs) : [],
    processWalls: pool ? runsOf(c, pool.label).map((r) => r.wallMs) : [],
    workers: queue?.workers ?? c.workers,
    taskMs: medianOrNaN(queue ? taskTimes(runsOf(c, queue.label)) : []),
    scale,
    ...(points.some((p) => p.n === 1) ? { fit: fitUsl(points) } : {}),
    ...(m.trip && m.scaling && m.rttMs !== undefined ? { model: onPaper(m.scaling, m.trip, m.rttMs) } : {}),
  };
}
