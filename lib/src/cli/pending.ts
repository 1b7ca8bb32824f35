/** Experiments whose library part has not landed yet: listed in --help, and saying so when asked for. */
import { environment } from '../environment';
import type { Experiment } from './experiment';
import { UsageError } from './usage';

function pending(name: string, summary: string, issue: number): Experiment {
  return {
    name,
    summary: `${summary} (not available yet)`,
    unavailable: `experiment ${name} is not available yet (issue ${issue} is building it); available now: cpu, or the path of a workload module`,
    workers: environment().cores,
    addFlags() {},
    async prepare() {
      throw new UsageError(this.unavailable!);
    },
  };
}

/** The I/O-bound experiment (needs the embedded server, issue 3). */
export const ioPending = pending('io', 'HTTP requests to the embedded server', 3);
/** The robot kitchen (issue 4). */
export const kitchenPending = pending('kitchen', 'the robot kitchen: concurrency vs parallelism', 4);
/** The GIL simulation (issue 5). */
export const gilPending = pending('gil', "a simulated global lock that reproduces Python's result", 5);
