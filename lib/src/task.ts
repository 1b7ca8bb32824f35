/** Runs one task and times it on the shared clock, wherever it is called: main thread or worker. */
import { here, now } from './clock';
import { messageOf } from './errors';
import type { WorkloadFn } from './workloads';

/** A task's outcome as it crosses back from a worker: its timing record and its value. */
export interface TaskOutcome {
  pid: number;
  threadId: number;
  start: number;
  end: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Runs `fn(input)`, awaiting it if it returns a promise; never throws. */
export async function runTimed(fn: WorkloadFn, input: unknown): Promise<TaskOutcome> {
  const start = now();
  try {
    const value = await fn(input);
    return { ...here(), start, end: now(), ok: true, value };
  } catch (error) {
    return { ...here(), start, end: now(), ok: false, error: messageOf(error) };
  }
}

const compiled = new Map<string, WorkloadFn>();

/** Turns a self-contained function's source back into a function (cached per source). */
export function compileSource(source: string): WorkloadFn {
  let fn = compiled.get(source);
  if (!fn) {
    fn = new Function(`"use strict"; return (${source});`)() as WorkloadFn;
    if (typeof fn !== 'function') throw new Error('the workload source is not a function');
    compiled.set(source, fn);
  }
  return fn;
}
