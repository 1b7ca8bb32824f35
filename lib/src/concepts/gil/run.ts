/**
 * Experiments with the simulated GIL: the same tasks on one thread, on N threads that
 * share the global lock, and on N threads without it; and a sweep of the switch interval.
 */
import { environment } from '../../core/environment';
import { ParameterError } from '../../core/errors';
import type { Environment } from '../../core/records';
import { summarize } from '../../core/stats';
import * as check from '../../core/validate';
import { DEFAULT_SWITCH_INTERVAL_MS } from './gil-lock';
import type { GilTask } from './tasks';
import { checkSwitchInterval, GilTeam, MAX_GIL_THREADS, type GilRun } from './gil-team';

/** The three ways to run the tasks. */
export const GIL_VARIANTS = ['sequential', 'gil', 'free'] as const;

/** sequential: one thread; gil: N threads, one global lock; free: N threads, no lock. */
export type GilVariant = (typeof GIL_VARIANTS)[number];

/** How each variant is called in charts and tables. */
export const VARIANT_LABELS: Record<GilVariant, string> = {
  sequential: 'one thread',
  gil: 'threads + global lock',
  free: 'threads, no lock',
};

/** What `onProgress` hears after each timed run of `compareGil` or `sweepSwitchInterval`. */
export interface GilProgress {
  /** What just ran: a variant ('sequential', 'gil', 'free'), or in a sweep 'baseline', 'interval' or 'io lag'. */
  run: GilVariant | 'baseline' | 'interval' | 'io lag';
  switchIntervalMs: number;
  /** 0-based repeat, of `repeats`. */
  repeat: number;
  repeats: number;
  /** Timed runs done so far, of `total`. */
  done: number;
  total: number;
}

function checkProgress(value: unknown): ((progress: GilProgress) => void) | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ParameterError('onProgress', 'a function', value);
  return value as ((progress: GilProgress) => void) | undefined;
}

/** A run of one variant. */
export type GilVariantRun = GilRun & { variant: GilVariant };

/** Options of `compareGil`. */
export interface CompareGilOptions {
  /** The tasks, e.g. `cpuTasks(20, 30)` or `ioTasks(40, 50)`. */
  tasks: readonly GilTask[];
  /** Threads for the 'gil' and 'free' variants (default 4). */
  threads?: number;
  /** The switch interval in ms (default 5, like sys.getswitchinterval()). */
  switchIntervalMs?: number;
  /** Timed runs per variant (default 3). */
  repeats?: number;
  /** Variants to run (default all three). */
  variants?: readonly GilVariant[];
  /** A name for the tasks, for titles (default 'tasks'). */
  label?: string;
  /** Parameters to store with the result. */
  params?: Record<string, unknown>;
  /** Called after each timed run (default: nothing), e.g. to show progress. */
  onProgress?: (progress: GilProgress) => void;
}

/** Every run of every variant. */
export interface GilComparison {
  label: string;
  tasks: number;
  threads: number;
  switchIntervalMs: number;
  repeats: number;
  variants: GilVariant[];
  runs: GilVariantRun[];
  /** ms to start the team's threads, not counted in any run. */
  startupMs: number;
  env: Environment;
  params: Record<string, unknown>;
}

/** One variant's numbers: median wall time, speedup over one thread, and the lock's hand-offs. */
export interface GilVariantSummary {
  variant: GilVariant;
  threads: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** One thread's median / this median (undefined without a sequential run). */
  speedup?: number;
  /** Medians per run: lock hand-offs between threads, and forced drops (the interval at work). */
  switches: number;
  forcedDrops: number;
  failed: number;
}

/** Checks a thread count: an integer from 1 to 64. */
export function checkThreads(value: unknown, name = 'threads'): number {
  return check.integer(name, value, 1, MAX_GIL_THREADS);
}

/** Runs tasks on one thread, on N threads with the global lock, and on N threads without it (repeats interleaved). */
export async function compareGil(options: CompareGilOptions): Promise<GilComparison> {
  const tasks = check.nonEmptyList<GilTask>('tasks', options.tasks);
  const threads = checkThreads(options.threads ?? 4);
  const switchIntervalMs = checkSwitchInterval(options.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS);
  const repeats = check.integer('repeats', options.repeats ?? 3, 1, 1000);
  const variants = check.subsetOf('variants', options.variants ?? [...GIL_VARIANTS], GIL_VARIANTS);
  const onProgress = checkProgress(options.onProgress);
  const team = await GilTeam.start(threads);
  try {
    // Warm-up: every thread compiles the work once.
    await team.run(tasks.slice(0, threads), { gil: false, switchIntervalMs });
    const runs: GilVariantRun[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(k + repeat) % variants.length]!;
        const run = await team.run(tasks, {
          gil: variant !== 'free',
          threads: variant === 'sequential' ? 1 : threads,
          switchIntervalMs,
          repeat,
        });
        runs.push({ ...run, variant });
        onProgress?.({
          run: variant,
          switchIntervalMs,
          repeat,
          repeats,
          done: runs.length,
          total: repeats * variants.length,
        });
      }
    }
    runs.sort((a, b) => variants.indexOf(a.variant) - variants.indexOf(b.variant) || a.repeat - b.repeat);
    return {
      label: options.label ?? 'tasks',
      tasks: tasks.length,
      threads,
      switchIntervalMs,
      repeats,
      variants,
      runs,
      startupMs: team.startupMs,
      env: environment(),
      params: { ...options.params },
    };
  } finally {
    await team.close();
  }
}

/** Summarises each variant of a comparison. */
export function summarizeGil(result: GilComparison): GilVariantSummary[] {
  const med = (values: number[]) => summarize(values).median;
  const seq = result.runs.filter((r) => r.variant === 'sequential');
  const seqMedian = seq.length ? med(seq.map((r) => r.wallMs)) : undefined;
  return result.variants.map((variant) => {
    const runs = result.runs.filter((r) => r.variant === variant);
    const wall = summarize(runs.map((r) => r.wallMs));
    return {
      variant,
      threads: runs[0]!.workers,
      medianMs: wall.median,
      minMs: wall.min,
      maxMs: wall.max,
      speedup: seqMedian === undefined ? undefined : seqMedian / wall.median,
      switches: med(runs.map((r) => r.switches)),
      forcedDrops: med(runs.map((r) => r.forcedDrops)),
      failed: runs.reduce((n, r) => n + r.tasks.filter((t) => !t.ok).length, 0),
    };
  });
}

/** Options of `sweepSwitchInterval`. */
export interface SwitchSweepOptions {
  /** CPU tasks to run on `threads` threads under the lock, e.g. `cpuTasks(8, 30)`. */
  tasks: readonly GilTask[];
  /** Threads (default 2). */
  threads?: number;
  /** Switch intervals to try, in ms (default 0.1, 0.5, 1, 5, 20). */
  intervals?: readonly number[];
  /** Timed runs per interval (default 2). */
  repeats?: number;
  /**
   * Blocking waits of 1 ms that one I/O thread makes while one CPU thread runs `ioCpuMs`
   * of work beside it, per interval: how long the I/O thread waits to get the lock back
   * after each wait (default 40; 0 skips this part).
   */
  ioWaits?: number;
  params?: Record<string, unknown>;
  /** Called after each timed run (default: nothing), e.g. to show progress. */
  onProgress?: (progress: GilProgress) => void;
}

/** One switch interval: CPU runs under the lock, and the I/O thread's wait to get the lock back. */
export interface SwitchPoint {
  switchIntervalMs: number;
  runs: GilRun[];
  medianMs: number;
  /** Median run time / one thread's median: what the hand-offs cost (1 = nothing). */
  slowdown: number;
  /** Hand-offs per second of run time (median). */
  switchesPerSecond: number;
  /** Per blocking wait of the I/O thread, the median extra time beyond the wait itself, in ms (undefined if skipped). */
  ioDelayMs?: number;
}

/** A switch-interval sweep with its one-thread baseline. */
export interface SwitchSweep {
  threads: number;
  tasks: number;
  repeats: number;
  baseline: GilRun[];
  baselineMs: number;
  points: SwitchPoint[];
  ioWaits: number;
  env: Environment;
  params: Record<string, unknown>;
}

const IO_WAIT_MS = 1;

/** Runs the same CPU tasks under the lock at each switch interval, and measures an I/O thread's lag beside a CPU thread. */
export async function sweepSwitchInterval(options: SwitchSweepOptions): Promise<SwitchSweep> {
  const tasks = check.nonEmptyList<GilTask>('tasks', options.tasks);
  const threads = checkThreads(options.threads ?? 2);
  const intervals = check.nonEmptyList<unknown>('intervals', options.intervals ?? [0.1, 0.5, 1, 5, 20]);
  intervals.forEach((v, i) => checkSwitchInterval(v, `intervals[${i}]`));
  const repeats = check.integer('repeats', options.repeats ?? 2, 1, 1000);
  const ioWaits = check.integer('ioWaits', options.ioWaits ?? 40, 0, 100_000);
  const onProgress = checkProgress(options.onProgress);
  const total = repeats * (1 + intervals.length * (ioWaits > 0 ? 2 : 1));
  let done = 0;
  const report = (run: GilProgress['run'], switchIntervalMs: number, repeat: number) =>
    onProgress?.({ run, switchIntervalMs, repeat, repeats, done: ++done, total });
  const team = await GilTeam.start(Math.max(threads, 2));
  try {
    await team.run(tasks.slice(0, threads), { gil: false });
    // Repeats are the outer loop, so a busy moment of the machine hits every interval alike.
    const baseline: GilRun[] = [];
    const runs = intervals.map((): GilRun[] => []);
    const ioDelays = intervals.map((): number[] => []);
    for (let r = 0; r < repeats; r++) {
      const first = await team.run(tasks, { gil: true, threads: 1, repeat: r });
      baseline.push(first);
      report('baseline', first.switchIntervalMs, r);
      for (let i = 0; i < intervals.length; i++) {
        const switchIntervalMs = intervals[i] as number;
        runs[i]!.push(await team.run(tasks, { gil: true, threads, switchIntervalMs, repeat: r }));
        report('interval', switchIntervalMs, r);
        if (ioWaits > 0) {
          ioDelays[i]!.push(await ioLag(team, ioWaits, switchIntervalMs));
          report('io lag', switchIntervalMs, r);
        }
      }
    }
    const baselineMs = summarize(baseline.map((r) => r.wallMs)).median;
    const points = intervals.map((interval, i): SwitchPoint => {
      const medianMs = summarize(runs[i]!.map((r) => r.wallMs)).median;
      const point: SwitchPoint = {
        switchIntervalMs: interval as number,
        runs: runs[i]!,
        medianMs,
        slowdown: medianMs / baselineMs,
        switchesPerSecond: summarize(runs[i]!.map((r) => (r.switches * 1000) / r.wallMs)).median,
      };
      if (ioDelays[i]!.length) point.ioDelayMs = summarize(ioDelays[i]!).median;
      return point;
    });
    return {
      threads,
      tasks: tasks.length,
      repeats,
      baseline,
      baselineMs,
      points,
      ioWaits,
      env: environment(),
      params: { ...options.params },
    };
  } finally {
    await team.close();
  }
}

/**
 * One CPU thread and one I/O thread under the lock: the I/O thread makes `waits` blocking
 * waits of 1 ms with a tiny bit of work after each. Returns the extra time per wait (ms)
 * it spent getting the lock back from the CPU thread.
 */
async function ioLag(team: GilTeam, waits: number, switchIntervalMs: number): Promise<number> {
  const io = Array.from({ length: waits }, () => [{ wait: IO_WAIT_MS }, { spin: 0.01 }]).flat();
  // Enough CPU work to outlast the I/O thread at the longest plausible lag.
  const cpuMs = waits * (IO_WAIT_MS + switchIntervalMs) * 1.5 + 20;
  const run = await team.run([io, { spin: cpuMs }], { gil: true, threads: 2, switchIntervalMs });
  const ioTask = run.tasks[0]!;
  return Math.max(0, (ioTask.end - ioTask.start) / waits - IO_WAIT_MS);
}
