/** The named workloads: every mode, and the worker entry, look them up here by name. */
import { cpu } from './cpu';
import { io, ioBlocking } from './io';
import { sleep, spin } from './timing';

/** A workload: one task turns one input into one (structured-cloneable) result. */
export type WorkloadFn = (input: any) => unknown;

/** Every workload a worker can run by name. */
export const workloads: Readonly<Record<string, WorkloadFn>> = { cpu, sleep, spin, io, ioBlocking };

export { cpu, sleep, spin, io, ioBlocking };
