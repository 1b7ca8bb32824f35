/**
 * The experiments of notebook 06 on the simulated GIL, each one `compare` of `gil` rows: the
 * same tasks on one thread, on N threads that share the lock, and on N threads without it
 * (Python's own threads beside them as peers); the switch interval swept; Amdahl's law.
 */
import { environment } from '../../core/environment';
import { compare, type Comparison, type Entry } from '../../core/measure';
import type { Peer } from '../../core/peers';
import type { Progress } from '../../core/rounds';
import * as check from '../../core/validate';
import { cpuPeers } from '../../python/peers';
import { DEFAULT_SWITCH_INTERVAL_MS } from './gil-lock';
import { serialFractionTasks, type GilTask } from './work';

/** The labels of the three rows of `compareGil`. */
export const GIL_ROWS = { one: 'one thread', locked: 'threads + global lock', free: 'threads, no lock' } as const;

/** Options of `compareGil`. */
export interface CompareGilOptions {
  /** 'cpu' (inputs: num per task) or 'steps' (inputs: tasks like `ioTasks(40, 50)`). */
  workload?: 'cpu' | 'steps';
  inputs: readonly (number | GilTask)[];
  /** Threads for the locked and unlocked rows (default 4). */
  threads?: number;
  /** The switch interval in ms (default 5, like sys.getswitchinterval()). */
  switchIntervalMs?: number;
  /** Timed runs per row (default 3). */
  repeats?: number;
  /** Beside them, e.g. Python's real GIL: `gil.pythonPeers(...)`. */
  peers?: readonly Peer[];
  params?: Record<string, unknown>;
  onProgress?: (progress: Progress) => void;
}

/** Runs the tasks on one thread, on N threads with the global lock, and on N threads without it (rows taking turns). */
export async function compareGil(o: CompareGilOptions): Promise<Comparison> {
  const threads = check.integer('threads', o.threads ?? 4, 1, 64);
  const switchIntervalMs = check.finite(
    'switchIntervalMs',
    o.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS,
    0.01,
    60_000,
  );
  const gil = (workers: number, label: string, lock: boolean): Entry => ({
    mode: 'gil',
    workers,
    label,
    options: { lock, switchIntervalMs },
  });
  return compare({
    workload: o.workload ?? 'cpu',
    inputs: o.inputs,
    modes: [gil(1, GIL_ROWS.one, true), gil(threads, GIL_ROWS.locked, true), gil(threads, GIL_ROWS.free, false)],
    oneWorker: false,
    peers: o.peers,
    repeats: check.integer('repeats', o.repeats ?? 3, 1, 1000),
    onProgress: o.onProgress,
    params: { ...o.params, threads, switchIntervalMs },
  });
}

/**
 * Python's real GIL as peers: the same `count` x cpu_bound(num) on one Python thread and on
 * `threads` threads of one process, with the same switch interval.
 */
export function gilPythonPeers(o: { count: number; num: number; threads: number; switchIntervalMs?: number }): Peer[] {
  return cpuPeers({ ...o, workers: o.threads, programs: ['sequential', 'threads'], names: 'threads' });
}

/** The I/O thread's blocking waits per interval and run of the sweep. */
export const IO_WAITS = 40;
const IO_WAIT_MS = 1;

/** Options of `sweepSwitchInterval`. */
export interface SwitchSweepOptions {
  /** CPU tasks: cpu(num) each. */
  count: number;
  num: number;
  /** Threads sharing the lock (default 2). */
  threads?: number;
  /** Switch intervals to try, in ms (default 0.1, 0.5, 1, 5, 20). */
  intervals?: readonly number[];
  repeats?: number;
  params?: Record<string, unknown>;
  onProgress?: (progress: Progress) => void;
}

/**
 * The same CPU tasks under the lock at each switch interval, against one thread; and at each
 * interval one I/O thread making 1 ms blocking waits beside one CPU thread: how long it waits
 * to get the lock back after each wait.
 */
export async function sweepSwitchInterval(o: SwitchSweepOptions): Promise<Comparison> {
  const threads = check.integer('threads', o.threads ?? 2, 1, 64);
  const intervals = check.nonEmptyList<number>('intervals', o.intervals ?? [0.1, 0.5, 1, 5, 20]);
  intervals.forEach((v, i) => check.finite(`intervals[${i}]`, v, 0.01, 60_000));
  const io = Array.from({ length: IO_WAITS }, () => [{ wait: IO_WAIT_MS }, { spin: 0.01 }]).flat();
  const entries = intervals.flatMap((ms): Entry[] => {
    // Enough CPU work to outlast the I/O thread at the longest plausible lag.
    const cpuMs = IO_WAITS * (IO_WAIT_MS + ms) * 1.5 + 20;
    const options = { lock: true, switchIntervalMs: ms };
    return [
      { mode: 'gil', workers: threads, label: `${threads} threads at ${ms} ms`, options, baseline: GIL_ROWS.one },
      {
        mode: 'gil',
        workers: 2,
        label: `I/O thread at ${ms} ms`,
        options,
        workload: 'steps',
        inputs: [io, { spin: cpuMs }],
        baseline: null,
      },
    ];
  });
  return compare({
    workload: 'cpu',
    inputs: Array.from({ length: check.integer('count', o.count, 1, 10_000) }, () =>
      check.integer('num', o.num, 2, 200),
    ),
    modes: [{ mode: 'gil', workers: 1, label: GIL_ROWS.one }, ...entries],
    oneWorker: false,
    repeats: check.integer('repeats', o.repeats ?? 2, 1, 1000),
    onProgress: o.onProgress,
    params: { ...o.params, threads, intervals, ioWaits: IO_WAITS, ioWaitMs: IO_WAIT_MS },
  });
}

/** Options of `measureAmdahl`. */
export interface AmdahlOptions {
  /** The share of the work that must run one thread at a time, from 0 to 1. */
  serialFraction: number;
  /** Total CPU work in ms, the same at every thread count (default 400). */
  workMs?: number;
  /** Thread counts to try (default 1 to twice the cores); one thread is always among them. */
  workers?: readonly number[];
  repeats?: number;
  params?: Record<string, unknown>;
  onProgress?: (progress: Progress) => void;
}

/** Runs `workMs` of work with a set serial fraction on each thread count, each against one thread. */
export async function measureAmdahl(o: AmdahlOptions): Promise<Comparison> {
  const f = check.finite('serialFraction', o.serialFraction, 0, 1);
  const workMs = check.finite('workMs', o.workMs ?? 400, 1, 600_000);
  const sizes = check.nonEmptyList<number>(
    'workers',
    o.workers ?? Array.from({ length: 2 * environment().cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, 64));
  const all = [...new Set([1, ...sizes])].sort((a, b) => a - b);
  return compare({
    workload: 'steps',
    inputs: serialFractionTasks(f, workMs, 1),
    modes: all.map((n): Entry => ({
      mode: 'gil',
      workers: n,
      label: `${n} thread${n === 1 ? '' : 's'}`,
      inputs: serialFractionTasks(f, workMs, n),
      options: { lock: false },
    })),
    oneWorker: false,
    repeats: check.integer('repeats', o.repeats ?? 2, 1, 1000),
    onProgress: o.onProgress,
    params: { ...o.params, serialFraction: f, workMs },
  });
}
