/**
 * A workload with a set serial fraction, for Amdahl's law: `workMs` of CPU work of which
 * the share `serialFraction` must run one thread at a time (a critical section under a
 * lock, as when results are merged into one shared structure) and the rest runs on any
 * number of threads at once. Split over n threads, each thread does its share of the
 * parallel part, then waits its turn for its share of the serial part.
 */
import { ParameterError } from '../../core/errors';
import type { GilTask } from './tasks';
import * as check from '../../core/validate';

/** Checks a serial fraction: a number from 0 to 1. */
export function checkSerialFraction(value: unknown, name = 'serialFraction'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ParameterError(name, 'a number from 0 to 1', value);
  }
  return value;
}

/** The tasks of `workMs` of work with serial fraction `serialFraction`, split over `parts` threads. */
export function serialFractionTasks(serialFraction: number, workMs: number, parts: number): GilTask[] {
  const f = checkSerialFraction(serialFraction);
  check.finite('workMs', workMs, 0.001, 600_000);
  check.integer('parts', parts, 1, 1000);
  return Array.from({ length: parts }, () => [{ spin: ((1 - f) * workMs) / parts }, { serial: (f * workMs) / parts }]);
}
