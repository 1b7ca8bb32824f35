/** The parameters of 05-cpu-bound: default (which fixes the type), range, and meaning. */
import type { ParamSpec } from '../../core/params';

export const CPU_PARAMS = {
  count: { default: 100, integer: true, min: 1, max: 10_000, help: 'how many inputs (tasks)' },
  num: { default: 30, integer: true, min: 2, max: 200, help: 'each input: the loop runs over range(1, num)' },
  workers: { default: 10, integer: true, min: 1, max: 256, help: 'pool size of the thread and process pools' },
  repeats: {
    default: 3,
    integer: true,
    min: 0,
    max: 100,
    help: 'timed runs per mode (0 = adapt: at least 2, more while a mode has used less than budgetMs)',
  },
  budgetMs: {
    default: 1000,
    min: 0,
    max: 600_000,
    help: 'with repeats 0: the time per mode, every run counted, after which it adds no more runs (ms)',
  },
  sweepCount: { default: 40, integer: true, min: 1, max: 10_000, help: 'tasks per run in the pool-size sweep' },
  sweepMax: { default: 0, integer: true, min: 0, max: 256, help: 'largest pool in the sweep (0 = twice the cores)' },
  sweepRepeats: { default: 2, integer: true, min: 1, max: 100, help: 'timed runs per pool size in the sweep' },
  python: {
    default: true,
    help: "also run the course's Python programs (sequential, ThreadPoolExecutor, ProcessPoolExecutor) beside Node's modes",
  },
} satisfies Record<string, ParamSpec>;
