/**
 * Measurement: run a workload over its inputs in several modes, with warm-up and repeats
 * (modes interleaved, so a slow moment of the machine hits every mode alike), and keep a
 * record of every task.
 */
import { now } from './clock';
import { cores, environment } from './environment';
import { ParameterError } from './errors';
import {
  createExecutor,
  isPoolMode,
  isRegisteredMode,
  MODES,
  modeNames,
  type Executor,
  type ExecutorOptions,
  type Mode,
} from './modes';
import type { Environment, Run } from './records';
import * as check from './validate';
import { resolveWorkload } from './workload';
import type { WorkloadFn } from './workload';

/** Where a measurement is: reported after every task. */
export interface Progress {
  mode: Mode;
  workers: number;
  /** 0-based repeat; -1 while warming up. */
  repeat: number;
  repeats: number;
  done: number;
  total: number;
  elapsedMs: number;
}

/** Options shared by `compare` and `sweep`. */
export interface MeasureOptions {
  /** A registered workload name ('cpu', 'sleep', 'spin') or a self-contained function of one input. */
  workload: string | WorkloadFn;
  /** One task per input. */
  inputs: readonly unknown[];
  /** Timed passes per mode (default 3). */
  repeats?: number;
  /** Untimed passes per mode before timing, so each worker has compiled the code (default 1). */
  warmup?: number;
  /** Parameters to store with the result (for the record only). */
  params?: Record<string, unknown>;
  /** Called after every task. */
  onProgress?: (progress: Progress) => void;
  /** Fail any task that runs longer than this many ms (default: no limit). */
  timeoutMs?: number;
  /** Heap limit in MB of each pool worker (default: Node's own). */
  memoryLimitMb?: number;
  /**
   * Options of the modes that concepts add, keyed by mode name, e.g.
   * `{ queue: { redisUrl: 'redis://10.0.0.5:6379' } }`; each mode checks its own.
   */
  modeOptions?: Partial<Record<string, unknown>>;
}

/** Options of `compare`. */
export interface CompareOptions extends MeasureOptions {
  /** Modes to run (default the four built-in ones, in the order of MODES; `queue` and other registered modes on request). */
  modes?: readonly Mode[];
  /** Pool size for the thread and process pools (default: the number of cores). */
  workers?: number;
}

/** The runs of every mode and repeat, with what is needed to read them. */
export interface Comparison {
  workload: string;
  tasks: number;
  modes: Mode[];
  workers: number;
  repeats: number;
  /** Pool start-up per mode, measured apart from the work (0 for sequential and async). */
  startupMs: Partial<Record<Mode, number>>;
  runs: Run[];
  env: Environment;
  params: Record<string, unknown>;
}

/** Defaults of every measurement option. */
export const DEFAULTS = { repeats: 3, warmup: 1 } as const;

interface Checked {
  workload: ReturnType<typeof resolveWorkload>;
  inputs: readonly unknown[];
  repeats: number;
  warmup: number;
  limits: ExecutorOptions;
}

function checkCommon(options: MeasureOptions): Checked {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  return {
    workload: resolveWorkload(options.workload),
    inputs: check.nonEmptyList('inputs', options.inputs),
    repeats: check.integer('repeats', options.repeats ?? DEFAULTS.repeats, 1, 1000),
    warmup: check.integer('warmup', options.warmup ?? DEFAULTS.warmup, 0, 100),
    limits: {
      timeoutMs: options.timeoutMs === undefined ? undefined : check.positive('timeoutMs', options.timeoutMs),
      memoryLimitMb:
        options.memoryLimitMb === undefined
          ? undefined
          : check.integer('memoryLimitMb', options.memoryLimitMb, 16, 1 << 20),
    },
  };
}

/** Runs every input once in `executor` and returns the run's record (exported for concepts that drive an executor). */
export async function pass(
  executor: Executor,
  inputs: readonly unknown[],
  repeat: number,
  repeats: number,
  startedAt: number,
  onProgress?: (progress: Progress) => void,
): Promise<Run> {
  const { mode, workers } = executor;
  const total = inputs.length;
  const report = onProgress
    ? (done: number) => onProgress({ mode, workers, repeat, repeats, done, total, elapsedMs: now() - startedAt })
    : undefined;
  report?.(0);
  const start = now();
  const results = await executor.run(inputs, report);
  const end = now();
  return {
    mode,
    workers,
    cores: cores(),
    repeat,
    start,
    end,
    wallMs: end - start,
    tasks: results.map((r) => r.record),
    results: results.map((r) => r.value),
  };
}

/** Warm-up: enough tasks that every worker of the executor runs the workload `warmup` times. */
export async function warm(executor: Executor, inputs: readonly unknown[], warmup: number): Promise<void> {
  const perPass = Math.min(inputs.length, executor.workers);
  for (let w = 0; w < warmup; w++) await executor.run(inputs.slice(0, perPass));
}

/**
 * Runs a workload over its inputs in every requested mode, `repeats` times each (modes
 * interleaved), after `warmup` untimed passes. Pools start once, are timed apart, and are
 * always shut down before this returns or throws. Failing tasks are recorded, not thrown.
 */
export async function compare(options: CompareOptions): Promise<Comparison> {
  const c = checkCommon(options);
  const modes = check.subsetOf('modes', options.modes ?? [...MODES], modeNames());
  const env = environment();
  const workers = check.integer('workers', options.workers ?? env.cores, 1, 256);
  const executors: Executor[] = [];
  const startedAt = now();
  try {
    // Registered modes start first: one that needs an outside service (a broker) and cannot
    // reach it stops the run before any pool has started.
    const order = [...modes.filter(isRegisteredMode), ...modes.filter((m) => !isRegisteredMode(m))];
    for (const mode of order) {
      executors.push(await createExecutor(mode, workers, c.workload, c.limits, options.modeOptions?.[mode]));
    }
    executors.sort((a, b) => modes.indexOf(a.mode) - modes.indexOf(b.mode));
    for (const executor of executors) await warm(executor, c.inputs, c.warmup);
    const runs: Run[] = [];
    for (let repeat = 0; repeat < c.repeats; repeat++) {
      // Rotate the order each repeat so no mode always runs first or last.
      for (let k = 0; k < executors.length; k++) {
        const executor = executors[(k + repeat) % executors.length]!;
        runs.push(await pass(executor, c.inputs, repeat, c.repeats, startedAt, options.onProgress));
      }
    }
    runs.sort((a, b) => modes.indexOf(a.mode) - modes.indexOf(b.mode) || a.repeat - b.repeat);
    const startupMs: Partial<Record<Mode, number>> = {};
    for (const executor of executors) startupMs[executor.mode] = executor.startupMs;
    return {
      workload: c.workload.name,
      tasks: c.inputs.length,
      modes,
      workers,
      repeats: c.repeats,
      startupMs,
      runs,
      env,
      params: { ...options.params },
    };
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }
}

/** Options of `sweep`. */
export interface SweepOptions extends MeasureOptions {
  /** The pool mode to scale (default 'threads'; 'processes', or a registered pool mode such as 'queue'). */
  mode?: Mode;
  /** Pool sizes to try (default 1 to twice the number of cores). */
  workers?: readonly number[];
  /**
   * The sequential runs of an earlier sweep over the same workload and inputs, to compare
   * against instead of measuring them again (e.g. when sweeping a second mode).
   */
  baseline?: readonly Run[];
}

/** One pool size of a sweep. */
export interface SweepPoint {
  workers: number;
  startupMs: number;
  runs: Run[];
}

/** A sequential baseline and one point per pool size. */
export interface Sweep {
  workload: string;
  mode: Mode;
  tasks: number;
  repeats: number;
  baseline: Run[];
  points: SweepPoint[];
  env: Environment;
  params: Record<string, unknown>;
}

/**
 * Measures how a pool mode scales: a sequential baseline, then each pool size in turn
 * (one pool open at a time), `repeats` timed passes each.
 */
export async function sweep(options: SweepOptions): Promise<Sweep> {
  const c = checkCommon(options);
  const mode = check.oneOf('mode', options.mode ?? 'threads', modeNames().filter(isPoolMode));
  if (options.baseline !== undefined) check.nonEmptyList('baseline', options.baseline);
  const env = environment();
  const sizes = check.nonEmptyList<unknown>(
    'workers',
    options.workers ?? Array.from({ length: 2 * env.cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, 256));
  const startedAt = now();
  const measure = async (executor: Executor): Promise<Run[]> => {
    try {
      await warm(executor, c.inputs, c.warmup);
      const runs: Run[] = [];
      for (let r = 0; r < c.repeats; r++) {
        runs.push(await pass(executor, c.inputs, r, c.repeats, startedAt, options.onProgress));
      }
      return runs;
    } finally {
      await executor.close();
    }
  };
  const baseline = options.baseline
    ? [...options.baseline]
    : await measure(await createExecutor('sequential', 1, c.workload, c.limits));
  const points: SweepPoint[] = [];
  for (const workers of sizes as number[]) {
    const executor = await createExecutor(mode, workers, c.workload, c.limits, options.modeOptions?.[mode]);
    points.push({ workers, startupMs: executor.startupMs, runs: await measure(executor) });
  }
  return {
    workload: c.workload.name,
    mode,
    tasks: c.inputs.length,
    repeats: c.repeats,
    baseline,
    points,
    env,
    params: { ...options.params },
  };
}
