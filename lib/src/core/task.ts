/** Runs one task and times it on the shared clock, wherever it is called: main thread or worker. */
import { deserialize, serialize } from 'node:v8';
import { here, now } from './clock';
import { DESCRIPTION_LIMIT, describeValue, messageOf, oneLine } from './errors';
import type { TaskResult } from './records';
import type { WorkloadFn } from './workload';

/** Largest result a task keeps, in bytes as it crosses between threads; a larger one is described instead. */
const RESULT_LIMIT_BYTES = 1024 * 1024;

function notKept(value: unknown, why: string): string {
  return oneLine(`[result not kept (${why}): ${describeValue(value, 120)}]`, DESCRIPTION_LIMIT);
}

/**
 * What a run keeps of a task's value, the same in every mode: the value as it would arrive from a worker
 * (a structured clone; itself with `copy: false`), or a short description when it cannot. Never throws.
 */
function keepResult(value: unknown, copy = true): unknown {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'number':
      return value;
    case 'string':
      return value.length * 2 <= RESULT_LIMIT_BYTES ? value : notKept(value, 'over the 1 MB a result may take');
    case 'function':
      return notKept(value, 'a function cannot be copied between threads');
    case 'symbol':
      return notKept(value, 'a Symbol cannot be copied between threads');
    default:
      if (value === null) return value;
  }
  try {
    const bytes = serialize(value);
    if (bytes.length > RESULT_LIMIT_BYTES) return notKept(value, 'over the 1 MB a result may take');
    return !copy || typeof value === 'bigint' ? value : deserialize(bytes);
  } catch (error) {
    return notKept(value, `it cannot be copied between threads: ${messageOf(error)}`);
  }
}

/**
 * Runs `fn(input)` and never throws: every outcome is a record, ok with its value or failed with a one-line
 * message. A synchronous result is timed at once (awaiting it would defer `end` past other tasks).
 */
export async function runTimed(fn: WorkloadFn, input: unknown, index: number, copy = true): Promise<TaskResult> {
  const start = now();
  let value: unknown;
  try {
    const result = fn(input);
    value = isThenable(result) ? await result : result;
  } catch (error) {
    return failed(index, start, messageOf(error));
  }
  const end = now();
  return { record: { index, ...here(), start, end, ok: true }, value: keepResult(value, copy) };
}

/** The result of task `index` that failed with `error`, timed from `start` until now. */
export function failed(index: number, start: number, error: string, where = here()): TaskResult {
  return {
    record: { index, ...where, start, end: now(), ok: false, error: oneLine(error) || 'failed' },
    value: undefined,
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as Partial<PromiseLike<unknown>> | null | undefined)?.then === 'function';
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
