/**
 * A thread of the simulated-GIL team: runs one task per message, taking the global lock
 * for every slice of CPU work when the lock is on, and always releasing it when the task
 * ends, also when it throws.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { here, now } from '../../core/clock';
import { messageOf } from '../../core/errors';
import { CELL, GilHandle } from './gil-lock';
import type { TaskRecord } from '../../core/records';
import type { GilStep } from './tasks';
import { cpuSliced, spinSliced } from './work';

/** What the host sends: one task, and whether the global lock is on for it. */
export interface TaskMessage {
  type: 'task';
  index: number;
  steps: GilStep[];
  gil: boolean;
}

/** What a thread answers for each task: the task's record, its value, and its time with the lock. */
export interface DoneMessage extends TaskRecord {
  type: 'done';
  value?: unknown;
  /** Time spent waiting for the lock, and holding it, during this task. */
  waitedMs: number;
  heldMs: number;
  /** When this thread held the lock during the task: [start, end] pairs on the shared clock. */
  holds: [number, number][];
}

/** What the host passes when it starts a thread. */
export interface GilWorkerData {
  cells: Int32Array;
  id: number;
  unitsPerMs: number;
}

const { cells, id, unitsPerMs } = workerData as GilWorkerData;
const handle = new GilHandle(cells, id, now);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const free = () => {};

function runStep(step: GilStep, gil: boolean): unknown {
  // Under the GIL every slice needs the lock, and hands it over when asked.
  const slice = gil
    ? () => {
        handle.take();
        handle.checkpoint();
      }
    : free;
  if ('cpu' in step) return cpuSliced(step.cpu, slice);
  if ('spin' in step) return spinSliced(step.spin, unitsPerMs, slice);
  if ('wait' in step) {
    handle.drop();
    Atomics.wait(sleeper, 0, 0, step.wait);
    return step.wait;
  }
  if ('serial' in step) {
    handle.take();
    const value = spinSliced(step.serial, unitsPerMs, free);
    if (!gil) handle.drop();
    return value;
  }
  if ('count' in step) {
    for (let k = 0; k < step.count; k++) {
      slice();
      // Read, then write: another thread running in between would make an update get lost.
      const value = cells[CELL.counter]!;
      cells[CELL.counter] = value + 1;
    }
    return step.count;
  }
  handle.take();
  if (step.fail === 'exit') process.exit(1);
  throw new Error('the task failed on purpose while holding the lock');
}

function runTask(message: TaskMessage): DoneMessage {
  handle.waitedMs = 0;
  handle.heldMs = 0;
  handle.holds.length = 0;
  const start = now();
  let ok = true;
  let value: unknown;
  let error: string | undefined;
  try {
    for (const step of message.steps) value = runStep(step, message.gil);
  } catch (e) {
    ok = false;
    error = messageOf(e);
  } finally {
    handle.drop();
  }
  const done: DoneMessage = {
    type: 'done',
    index: message.index,
    ...here(),
    start,
    end: now(),
    ok,
    value,
    waitedMs: handle.waitedMs,
    heldMs: handle.heldMs,
    holds: [...handle.holds],
  };
  if (error !== undefined) done.error = error;
  return done;
}

parentPort!.on('message', (message: TaskMessage) => parentPort!.postMessage(runTask(message)));
parentPort!.postMessage({ type: 'ready' });
