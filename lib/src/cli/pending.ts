/** Experiments the command line does not run yet: listed in --help, and saying so (and where to see them) when asked for. */
import { environment } from '../environment';
import type { Experiment } from './experiment';
import { UsageError } from './usage';

function pending(name: string, summary: string, notebook: string): Experiment {
  return {
    name,
    summary: `${summary} (not available yet)`,
    unavailable: `experiment ${name} is not available yet in the command line (notebook ${notebook} runs it); available now: cpu, io, or the path of a workload module`,
    workers: environment().cores,
    addFlags() {},
    async prepare() {
      throw new UsageError(this.unavailable!);
    },
  };
}

/** The robot kitchen (issue 4; its library part is in kitchen/). */
export const kitchenPending = pending(
  'kitchen',
  'the robot kitchen: concurrency vs parallelism',
  '03-concurrency-vs-parallelism',
);
/** The GIL simulation (issue 5; its library part is in gil/). */
export const gilPending = pending(
  'gil',
  "a simulated global lock that reproduces Python's result",
  '06-gil-like-limits',
);
