/**
 * What a thread does under the simulated GIL: a task is a list of steps, each CPU work
 * (run in slices, under the lock when it is on), a blocking wait (the lock released, as
 * Python releases the GIL around blocking I/O), or a critical section (always under the lock).
 */
import { ParameterError } from '../../core/errors';
import * as check from '../../core/validate';

/** One step of a task. */
export type GilStep =
  /** The course's triple loop, cpu(num), in slices of one inner loop each. */
  | { cpu: number }
  /** About `spin` ms of CPU work (a fixed amount of arithmetic, calibrated on this machine), in slices. */
  | { spin: number }
  /** A blocking wait of `wait` ms with the lock released: simulated blocking I/O. */
  | { wait: number }
  /** About `serial` ms of CPU work holding the lock throughout, even when the GIL is off: a critical section. */
  | { serial: number }
  /** Adds 1 to a shared counter `count` times, non-atomically (read, then write), one slice each. */
  | { count: number }
  /** Fails while holding the lock: throws, or ends the thread ('exit'). For tests and demonstrations. */
  | { fail: 'throw' | 'exit' };

/** A task: one step or several in a row. */
export type GilTask = GilStep | readonly GilStep[];

const KINDS = ['cpu', 'spin', 'wait', 'serial', 'count', 'fail'] as const;

/** Checks one task and returns its steps; throws a one-line ParameterError naming the bad part. */
export function checkTask(name: string, task: unknown): GilStep[] {
  const steps = Array.isArray(task) ? task : [task];
  if (steps.length === 0) throw new ParameterError(name, 'a step or a non-empty list of steps', task);
  return steps.map((step, i) => {
    const where = Array.isArray(task) ? `${name}[${i}]` : name;
    if (step === null || typeof step !== 'object' || Object.keys(step).length !== 1) {
      throw new ParameterError(where, `one of { ${KINDS.join(' | ')}: value }`, step);
    }
    const [kind, value] = Object.entries(step)[0]!;
    switch (kind) {
      case 'cpu':
        check.integer(`${where}.cpu`, value, 2, 200);
        break;
      case 'spin':
      case 'wait':
      case 'serial':
        check.finite(`${where}.${kind}`, value, 0, 600_000);
        break;
      case 'count':
        check.integer(`${where}.count`, value, 0, 1e9);
        break;
      case 'fail':
        check.oneOf(`${where}.fail`, value, ['throw', 'exit']);
        break;
      default:
        throw new ParameterError(where, `one of { ${KINDS.join(' | ')}: value }`, step);
    }
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
