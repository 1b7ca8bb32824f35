/**
 * The `steps` workload: a task is a list of steps, each CPU work in slices (the simulated GIL may
 * change hands between two), a blocking wait (the lock released, as Python does around blocking
 * I/O), or a critical section (the lock held throughout, even when the GIL is off).
 */
import { ParameterError } from '../../core/errors';
import { interpreter } from '../../core/interpreter';
import * as check from '../../core/validate';
import { defineWorkload, type PoolSetup } from '../../core/workload';
import { cpu } from '../cpu/workload';
import { burn, calibrate } from '../kitchen/cook';

/** One step: cpu(num); about `spin` ms of CPU work; a `wait` ms blocking wait; `serial` ms under the lock; a failure. */
export type GilStep =
  { cpu: number } | { spin: number } | { wait: number } | { serial: number } | { fail: 'throw' | 'exit' };

/** A task: one step or several in a row. */
export type GilTask = GilStep | readonly GilStep[];

/** Checks one task and returns its steps; throws a one-line ParameterError naming the bad part (`name`, `name[i]`). */
export function checkTask(task: unknown, name = 'task'): GilStep[] {
  const steps = Array.isArray(task) ? task : [task];
  if (steps.length === 0) throw new ParameterError(name, 'a step or a non-empty list of steps', task);
  return steps.map((step, i) => {
    const where = Array.isArray(task) ? `${name}[${i}]` : name;
    const [kind, value] =
      step !== null && typeof step === 'object' && Object.keys(step).length === 1 ? Object.entries(step)[0]! : [];
    if (kind === 'cpu') check.integer(`${where}.cpu`, value, 2, 200);
    else if (kind === 'spin' || kind === 'wait' || kind === 'serial')
      check.finite(`${where}.${kind}`, value, 0, 600_000);
    else if (kind === 'fail') check.oneOf(`${where}.fail`, value, ['throw', 'exit']);
    else throw new ParameterError(where, 'one of { cpu | spin | wait | serial | fail: value }', step);
    return step as GilStep;
  });
}

/** `count` tasks that each wait `waitMs` (simulated blocking I/O) and then do 0.2 ms of CPU work. */
export function ioTasks(count: number, waitMs: number): GilTask[] {
  const task = [{ wait: check.finite('waitMs', waitMs, 0, 600_000) }, { spin: 0.2 }];
  return Array<GilTask>(check.integer('count', count, 1, 100_000)).fill(task);
}

/** `workMs` of work of which the share `serialFraction` runs one thread at a time, split over `parts` tasks. */
export function serialFractionTasks(serialFraction: number, workMs: number, parts: number): GilTask[] {
  const f = check.finite('serialFraction', serialFraction, 0, 1);
  return Array.from({ length: parts }, () => [{ spin: ((1 - f) * workMs) / parts }, { serial: (f * workMs) / parts }]);
}

const RATE = 'CLAB_SPIN_RATE';
let unitsPerMs = 0;

/** `burn` units per ms, measured here before a pool starts, for all its workers: a shared core would time slow. */
function shareSpinRate(): PoolSetup {
  const env = { ...process.env, [RATE]: String((unitsPerMs ||= calibrate())) };
  return {
    onCreateWorker: (o) => ({
      ...o,
      workerThreadOpts: { ...o.workerThreadOpts, env },
      forkOpts: { ...o.forkOpts, env },
    }),
    close: async () => {},
  };
}

/** About `ms` of CPU work at the shared rate, a checkpoint before every 0.05 ms slice when `sliced`. */
function spin(ms: number, sliced: boolean): number {
  unitsPerMs ||= Number(process.env[RATE]) || calibrate();
  let left = Math.round(ms * unitsPerMs);
  const slice = Math.max(1, Math.round(0.05 * unitsPerMs));
  let x = 1;
  for (; left > 0; left -= slice) {
    if (sliced) interpreter.checkpoint();
    x = burn(Math.min(slice, left), x);
  }
  return x;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Runs a task's steps on this thread; returns the last step's value. */
export function steps(task: GilTask): unknown {
  let value: unknown;
  for (const step of checkTask(task)) {
    if ('cpu' in step) value = cpu(step.cpu);
    else if ('spin' in step) value = spin(step.spin, true);
    else if ('wait' in step) value = interpreter.blocking(() => Atomics.wait(sleeper, 0, 0, step.wait) && step.wait);
    else if ('serial' in step) value = interpreter.critical(() => spin(step.serial, false));
    else if (step.fail === 'exit') process.exit(1);
    else throw new Error('the task failed on purpose');
  }
  return value;
}

defineWorkload({ name: 'steps', fn: steps, module: __filename, export: 'steps', pool: shareSpinRate });
