/**
 * A thread of the `gil` mode: workerpool's worker side, running each task as the core's pool
 * worker does, but as a simulated interpreter would: holding the global lock (when it is on)
 * whenever it runs, handing it over at the workload's checkpoints when asked, letting go of
 * it around blocking waits, and always releasing it when the task ends, also when it throws.
 */
import { workerData } from 'node:worker_threads';
import { here, now } from '../../core/clock';
import { interpreter } from '../../core/interpreter';
import type { TaskResult } from '../../core/records';
import { compileSource, runTimed } from '../../core/task';
import type { WorkloadFn } from '../../core/workload';
import { CELL, GilHandle, releaseDeadThread } from './gil-lock';

/** What the mode gives each thread: the lock's cells and its number (from 1). */
export interface GilWorkerData {
  cells: Int32Array;
  id: number;
}

/** What a task under the lock adds to its result: its time waiting for and holding the lock, and each hold. */
export interface GilExtra {
  threadId: number;
  waitedMs: number;
  heldMs: number;
  holds: [number, number][];
}

const { cells, id } = workerData as GilWorkerData;
const handle = new GilHandle(cells, id, now);
const on = () => Atomics.load(cells, CELL.enabled) === 1;

// A thread that ends itself (process.exit in a task) lets go of the lock on its way out:
// workerpool never reports a thread that has already died (its terminate waits for an exit
// that has been), so the mode's onTerminateWorker cannot release the lock for it.
process.on('exit', () => releaseDeadThread(cells, id));

interpreter.checkpoint = () => {
  if (!on()) return;
  handle.take();
  handle.checkpoint();
};
interpreter.blocking = (wait) => {
  handle.drop();
  return wait();
};
interpreter.critical = (work) => {
  handle.take();
  try {
    return work();
  } finally {
    if (!on()) handle.drop();
  }
};

async function underLock(fn: WorkloadFn, input: unknown, index: number): Promise<TaskResult> {
  handle.waitedMs = 0;
  handle.heldMs = 0;
  handle.holds.length = 0;
  if (on()) handle.take();
  let result: TaskResult;
  try {
    result = await runTimed(fn, input, index, false);
  } finally {
    handle.drop();
  }
  const extra: GilExtra = {
    threadId: here().threadId,
    waitedMs: handle.waitedMs,
    heldMs: handle.heldMs,
    holds: [...handle.holds],
  };
  return { ...result, extra };
}

const exported = (file: string, name: string) => (require(file) as Record<string, WorkloadFn>)[name]!;
const worker = require('workerpool/src/worker') as { add(methods: Record<string, (...args: any[]) => unknown>): void };
worker.add({
  runModule: (file: string, name: string, input: unknown, index: number) =>
    underLock(exported(file, name), input, index),
  runSource: (source: string, input: unknown, index: number) => underLock(compileSource(source), input, index),
  ping: () => ({ ...here(), at: now() }),
});
