/**
 * The simulated interpreter's work: a task is a list of steps, each CPU work (in slices, with
 * a checkpoint between two, where the simulated GIL may change hands), a blocking wait (the
 * lock released, as Python releases the GIL around blocking I/O), or a critical section (the
 * lock held throughout, even when the GIL is off). `workload: 'steps'` in any mode; under the
 * `gil` mode the checkpoints are live.
 */
import { ParameterError } from '../../core/errors';
import { interpreter } from '../../core/interpreter';
import * as check from '../../core/validate';
import { defineWorkload } from '../../core/workload';
import { cpu } from '../cpu/workload';

/** One step of a task. */
export type GilStep =
  /** The course's triple loop, cpu(num), with a checkpoint before each inner loop. */
  | { cpu: number }
  /** About `spin` ms of CPU work (a fixed amount of arithmetic, calibrated on the thread), in slices. */
  | { spin: number }
  /** A blocking wait of `wait` ms with the lock released: simulated blocking I/O. */
  | { wait: number }
  /** About `serial` ms of CPU work holding the lock throughout, even when the GIL is off: a critical section. */
  | { serial: number }
  /** Fails: throws, or ends the thread ('exit'). For tests and demonstrations. */
  | { fail: 'throw' | 'exit' };

/** A task: one step or several in a row. */
export type GilTask = GilStep | readonly GilStep[];

const KINDS = ['cpu', 'spin', 'wait', 'serial', 'fail'] as const;

/** Checks one task and returns its steps; throws a one-line ParameterError naming the bad part. */
export function checkTask(name: string, task: unknown): GilStep[] {
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
    else throw new ParameterError(where, `one of { ${KINDS.join(' | ')}: value }`, step);
    return step as GilStep;
  });
}

/** `count` tasks of the course's CPU function, cpu(num). */
export function cpuTasks(count: number, num: number): GilTask[] {
  check.integer('count', count, 1, 100_000);
  check.integer('num', num, 2, 200);
  return Array.from({ length: count }, () => ({ cpu: num }));
}

/** `count` tasks that each wait `waitMs` (simulated blocking I/O) and then do `cpuMs` of CPU work. */
export function ioTasks(count: number, waitMs: number, cpuMs = 0.2): GilTask[] {
  check.integer('count', count, 1, 100_000);
  check.finite('waitMs', waitMs, 0, 600_000);
  check.finite('cpuMs', cpuMs, 0, 600_000);
  return Array.from({ length: count }, () => [{ wait: waitMs }, { spin: cpuMs }]);
}

/** `workMs` of work of which the share `serialFraction` runs one thread at a time, split over `parts` tasks. */
export function serialFractionTasks(serialFraction: number, workMs: number, parts: number): GilTask[] {
  const f = check.finite('serialFraction', serialFraction, 0, 1);
  check.finite('workMs', workMs, 0.001, 600_000);
  check.integer('parts', parts, 1, 1000);
  return Array.from({ length: parts }, () => [{ spin: ((1 - f) * workMs) / parts }, { serial: (f * workMs) / parts }]);
}

/** Runs `units` steps of integer arithmetic (a fixed amount of work); returns a value so it is not optimised away. */
export function burn(units: number, seed = 1): number {
  let x = seed | 0;
  for (let k = 0; k < units; k++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

let unitsPerMs = 0;

/** `burn` units per millisecond on this thread once optimised: the fastest of a few runs of at least 10 ms. */
function calibrate(): number {
  let x = burn(2_000_000); // let the compiler optimise the loop first
  let units = 100_000;
  for (;;) {
    const t0 = performance.now();
    x = burn(units, x);
    if (performance.now() - t0 >= 10) break;
    units *= 2;
  }
  let best = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    x = burn(units, x);
    best = Math.max(best, units / Math.max(performance.now() - t0, 1e-3));
  }
  return x === 0.5 ? best + 1 : best; // never true: keeps `x` (and the work) alive
}

/** Slice length of `spin` and `serial` work, in ms: short against any switch interval worth trying. */
export const SLICE_MS = 0.05;

/** About `ms` of CPU work, a checkpoint before every slice when `sliced`. */
function spin(ms: number, sliced: boolean): number {
  unitsPerMs ||= calibrate();
  let left = Math.round(ms * unitsPerMs);
  const slice = Math.max(1, Math.round(SLICE_MS * unitsPerMs));
  let x = 1;
  while (left > 0) {
    if (sliced) interpreter.checkpoint();
    const n = Math.min(slice, left);
    x = burn(n, x);
    left -= n;
  }
  return x;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Runs a task's steps on this thread; returns the last step's value. */
export function steps(task: GilTask): unknown {
  let value: unknown;
  for (const step of checkTask('task', task)) {
    if ('cpu' in step) value = cpu(step.cpu);
    else if ('spin' in step) value = spin(step.spin, true);
    else if ('wait' in step) value = interpreter.blocking(() => Atomics.wait(sleeper, 0, 0, step.wait) && step.wait);
    else if ('serial' in step) value = interpreter.critical(() => spin(step.serial, false));
    else if (step.fail === 'exit') process.exit(1);
    else throw new Error('the task failed on purpose');
  }
  return value;
}

/** `workload: 'steps'`: a simulated interpreter's tasks, for the `gil` mode. */
export const stepsWorkload = defineWorkload({ name: 'steps', fn: steps, module: __filename, export: 'steps' });
