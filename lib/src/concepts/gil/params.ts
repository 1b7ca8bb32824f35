/** The parameters of the 06-gil-like-limits notebook: defaults, ranges and meanings. */
import type { ParamSpec } from '../../core/params';

/** The notebook's parameters, in the catalog: `parameters('06-gil-like-limits')` reads them. */
export const GIL_PARAMS = {
  switchIntervalMs: {
    default: 5,
    min: 0.01,
    max: 1000,
    help: 'simulated GIL: how long a thread runs before a waiting one asks for the lock (ms); Python: sys.getswitchinterval() = 5 ms',
  },
  threads: { default: 4, integer: true, min: 1, max: 64, help: 'threads sharing the simulated GIL' },
  count: { default: 16, integer: true, min: 1, max: 10_000, help: 'CPU tasks per run' },
  num: { default: 30, integer: true, min: 2, max: 200, help: "each CPU task is cpu(num), the course's triple loop" },
  loopCount: { default: 8, integer: true, min: 1, max: 10_000, help: 'CPU tasks run while the event loop is watched' },
  ioCount: { default: 40, integer: true, min: 1, max: 10_000, help: 'tasks that wait (simulated blocking I/O)' },
  ioWaitMs: { default: 50, min: 0, max: 60_000, help: 'how long each of those waits (ms)' },
  ioThreads: { default: 10, integer: true, min: 1, max: 64, help: 'threads for the waiting tasks (the course: 10)' },
  intervals: { default: [0.1, 0.5, 1, 5, 20], min: 0.01, max: 1000, help: 'switch intervals to sweep (ms)' },
  sweepCount: { default: 8, integer: true, min: 1, max: 10_000, help: 'CPU tasks per run of the sweep' },
  serialFraction: { default: 0.2, min: 0, max: 1, help: 'Amdahl: the share of the work run one thread at a time' },
  amdahlWorkMs: { default: 400, min: 1, max: 600_000, help: 'Amdahl: total CPU work per run (ms)' },
  amdahlMax: { default: 0, integer: true, min: 0, max: 64, help: 'Amdahl: most threads to try (0 = twice the cores)' },
  repeats: { default: 3, integer: true, min: 1, max: 100, help: 'timed runs of each variant' },
  python: { default: true, help: 'also measure the real GIL: the CPU tasks on 1 and on `threads` Python threads' },
} satisfies Record<string, ParamSpec>;
