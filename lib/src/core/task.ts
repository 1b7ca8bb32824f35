/** Runs one task and times it on the shared clock, wherever it is called: main thread or worker. */
import { here, now } from './clock';
import { messageOf } from './errors';
import type { TaskResult } from './records';
import type { WorkloadFn } from './workload';

/**
 * Runs `fn(input)`, awaiting it only if it returns a promise; never throws. A synchronous
 * result is timed at once: awaiting it would defer `end` to a later microtask, which under
 * Promise.all comes only after every other synchronous task has run.
 */
export async function runTimed(fn: WorkloadFn, input: unknown, index: number): Promise<TaskResult> {
  const start = now();
  try {
    const result = fn(input);
    const value = isThenable(result) ? await result : result;
    return { record: { index, ...here(), start, end: now(), ok: true }, value };
  } catch (error) {
    return failed(index, start, messageOf(error));
  }
}

/** The result of task `index` that failed with `error`, timed from `start` until now. */
export function failed(index: number, start: number, error: string, where = here()): TaskResult {
  return { record: { index, ...where, start, end: now(), ok: false, error }, value: undefined };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

const compiled = new Map<string, WorkloadFn>();

/** Turns a self-contained function's source back into a function (cached per source). */
export function compileSource(source: string): WorkloadFn {
  let fn = compiled.get(source);
  if (!fn) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiling the workload source is the point
    fn = new Function(`"use strict"; return (${source});`)() as WorkloadFn;
    if (typeof fn !== 'function') throw new Error('the workload source is not a function');
    compiled.set(source, fn);
  }
  return fn;
}
