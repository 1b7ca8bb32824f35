/** The parameters of 05-cpu-bound: default (which fixes the type), range, and meaning. */
import type { ParamSpec } from '../../core/params';

export const CPU_PARAMS = {
  count: { default: 100, integer: true, min: 1, max: 10_000, help: 'how many inputs (tasks)' },
  num: { default: 30, integer: true, min: 2, max: 200, help: 'each input: the loop runs over range(1, num)' },
  workers: { default: 10, integer: true, min: 1, max: 256, help: 'pool size of the thread and process pools' },
  repeats: { default: 3, integer: true, min: 1, max: 100, help: 'timed runs per mode' },
  sweepCount: { default: 40, integer: true, min: 1, max: 10_000, help: 'tasks per run in the pool-size sweep' },
  sweepMax: { default: 0, integer: true, min: 0, max: 256, help: 'largest pool in the sweep (0 = twice the cores)' },
  sweepRepeats: { default: 2, integer: true, min: 1, max: 100, help: 'timed runs per pool size in the sweep' },
} satisfies Record<string, ParamSpec>;
