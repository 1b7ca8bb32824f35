/** The parameters of 02-threads: default (which fixes the type), range, and meaning. */
import type { ParamSpec } from '../../core/params';

export const THREADS_PARAMS = {
  threads: { default: 4, integer: true, min: 1, max: 64, help: 'worker threads that report their ids' },
  sizesKB: { default: [1, 16, 256, 4096, 16384], integer: true, min: 1, max: 262144, help: 'message sizes (KB)' },
  messageRepeats: { default: 5, integer: true, min: 1, max: 100, help: 'timed round trips per method and size' },
  raceThreads: { default: 2, integer: true, min: 2, max: 16, help: 'threads adding to the shared counter at once' },
  increments: { default: 1000000, integer: true, min: 1, max: 100000000, help: 'additions per thread in the race' },
  raceRepeats: { default: 5, integer: true, min: 1, max: 100, help: 'runs of each way of adding' },
} satisfies Record<string, ParamSpec>;
