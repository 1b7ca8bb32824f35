/** Notebook 06's experiments on the simulated GIL, each one `compare` of `gil` rows. */
import { environment } from '../../core/environment';
import { compare, type Entry } from '../../core/measure';
import type { Peer } from '../../core/peers';
import type { MeasureOptions } from '../../core/plan';
import * as check from '../../core/validate';
import { count } from '../../core/words';
import { cpuPeers } from '../../python/peers';
import { DEFAULT_SWITCH_INTERVAL_MS } from './gil-lock';
import { checkTask, serialFractionTasks, type GilTask } from './work';

/** The labels of the three rows of `compareGil`. */
export const GIL_ROWS = { one: 'one thread', locked: 'threads + global lock', free: 'threads, no lock' } as const;

/** What every experiment of the notebook takes besides its own options. */
export type Common = Pick<MeasureOptions, 'repeats' | 'params' | 'onProgress'>;

/**
 * Runs the tasks (`workload` 'cpu': num per task, or 'steps': tasks like `[{ wait: 50 }, { spin: 0.2 }]`)
 * on one thread, on `threads` threads (default 4) with the global lock and on as many without it,
 * `repeats` times (default 3); `peers` beside them, e.g. Python's real GIL (`gil.pythonPeers(...)`).
 */
export async function compareGil(
  o: Common & {
    workload?: 'cpu' | 'steps';
    inputs: readonly (number | GilTask)[];
    threads?: number;
    switchIntervalMs?: number;
    peers?: readonly Peer[];
  },
) {
  const threads = check.integer('threads', o.threads ?? 4, 1, 64);
  const ms = check.finite('switchIntervalMs', o.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS, 0.01, 60_000);
  // Checked before any pool starts, as well as in the worker.
  if (o.workload === 'steps') o.inputs.forEach((task, i) => checkTask(task, `inputs[${i}]`));
  const gil = (workers: number, label: string, lock: boolean): Entry => {
    return { mode: 'gil', workers, label, options: { lock, switchIntervalMs: ms } };
  };
  return compare({
    workload: o.workload ?? 'cpu',
    inputs: o.inputs,
    modes: [gil(1, GIL_ROWS.one, true), gil(threads, GIL_ROWS.locked, true), gil(threads, GIL_ROWS.free, false)],
    oneWorker: false,
    peers: o.peers,
    repeats: o.repeats ?? 3,
    onProgress: o.onProgress,
    params: { ...o.params, threads, switchIntervalMs: ms },
  });
}

/** Python's real GIL as peers: `count` x cpu_bound(num) on one Python thread and on `threads` threads */
export function gilPythonPeers(o: { count: number; num: number; threads: number; switchIntervalMs?: number }): Peer[] {
  return cpuPeers({ ...o, workers: o.threads, programs: ['sequential', 'threads'], names: 'threads' });
}

/** The I/O thread's blocking waits (of 1 ms) per run of the sweep. */
const IO_WAITS = 40;

/**
 * `count` x cpu(num) under the lock on `threads` threads (default 2) at each switch interval, against
 * one thread; and at each one an I/O thread making 1 ms blocking waits beside a CPU thread.
 */
export async function sweepSwitchInterval(
  o: Common & { count: number; num: number; threads?: number; intervals?: readonly number[] },
) {
  const threads = check.integer('threads', o.threads ?? 2, 1, 64);
  const intervals = check.nonEmptyList<number>('intervals', o.intervals ?? [0.1, 0.5, 1, 5, 20]);
  intervals.forEach((v, i) => check.finite(`intervals[${i}]`, v, 0.01, 60_000));
  const io = Array.from({ length: IO_WAITS }, () => [{ wait: 1 }, { spin: 0.01 }]).flat();
  const ioRow = { mode: 'gil', workers: 2, workload: 'steps', baseline: null } as const;
  const entries = intervals.flatMap((ms): Entry[] => {
    const options = { lock: true, switchIntervalMs: ms };
    // Enough CPU work to outlast the I/O thread at the longest plausible lag.
    const cpuMs = IO_WAITS * (1 + ms) * 1.5 + 20;
    return [
      { mode: 'gil', workers: threads, label: `${threads} threads at ${ms} ms`, options, baseline: GIL_ROWS.one },
      { ...ioRow, label: `I/O thread at ${ms} ms`, options, inputs: [io, { spin: cpuMs }] },
    ];
  });
  const num = check.integer('num', o.num, 2, 200);
  return compare({
    workload: 'cpu',
    inputs: Array<number>(check.integer('count', o.count, 1, 10_000)).fill(num),
    modes: [{ mode: 'gil', workers: 1, label: GIL_ROWS.one }, ...entries],
    oneWorker: false,
    repeats: o.repeats ?? 2,
    onProgress: o.onProgress,
    params: { ...o.params, threads, intervals, ioWaits: IO_WAITS, ioWaitMs: 1 },
  });
}

/** `workMs` of CPU work (default 400) with a set serial fraction on each of `workers` threads (default 1 to 2 x cores). */
export async function measureAmdahl(
  o: Common & { serialFraction: number; workMs?: number; workers?: readonly number[] },
) {
  const f = check.finite('serialFraction', o.serialFraction, 0, 1);
  const workMs = check.finite('workMs', o.workMs ?? 400, 1, 600_000);
  const sizes = check.nonEmptyList<number>(
    'workers',
    o.workers ?? Array.from({ length: 2 * environment().cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, 64));
  const counts = [...new Set([1, ...sizes])].sort((a, b) => a - b);
  return compare({
    workload: 'steps',
    inputs: serialFractionTasks(f, workMs, 1),
    modes: counts.map((n): Entry => {
      const inputs = serialFractionTasks(f, workMs, n);
      return { mode: 'gil', workers: n, label: count(n, 'thread'), inputs, options: { lock: false } };
    }),
    oneWorker: false,
    repeats: o.repeats ?? 2,
    onProgress: o.onProgress,
    params: { ...o.params, serialFraction: f, workMs },
  });
}
