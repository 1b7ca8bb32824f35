/** What a user passes as `workload`: a registered name or a self-contained function. */
import { ParameterError } from './errors';
import { workloads, type WorkloadFn } from './workloads';

/** A workload as every mode needs it: callable here, and describable to a worker. */
export interface ResolvedWorkload {
  name: string;
  fn: WorkloadFn;
  /** What a worker is sent: `['run', name]` or `['runSource', source]`. */
  remote: ['run' | 'runSource', string];
}

/** Checks a workload up front and returns it ready for every mode. */
export function resolveWorkload(workload: unknown): ResolvedWorkload {
  if (typeof workload === 'string') {
    const fn = workloads[workload];
    if (!fn)
      throw new ParameterError('workload', `one of ${Object.keys(workloads).join(', ')} or a function`, workload);
    return { name: workload, fn, remote: ['run', workload] };
  }
  if (typeof workload === 'function') {
    const source = String(workload);
    try {
      new Function(`"use strict"; return (${source});`);
    } catch {
      throw new ParameterError(
        'workload',
        'a self-contained function (an arrow function or a function expression, not a method)',
        workload,
      );
    }
    const name = workload.name || 'custom';
    return { name, fn: workload as WorkloadFn, remote: ['runSource', source] };
  }
  throw new ParameterError('workload', `one of ${Object.keys(workloads).join(', ')} or a function`, workload);
}
