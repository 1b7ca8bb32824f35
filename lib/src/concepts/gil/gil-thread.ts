/**
 * A thread of the `gil` mode (workerpool's worker side): runs each task holding the global lock
 * when it is on, hands it over at checkpoints when asked, lets go around blocking waits, and
 * always releases it when the task ends.
 */
import { workerData } from 'node:worker_threads';
import { here, now } from '../../core/clock';
import { interpreter } from '../../core/interpreter';
import type { TaskResult } from '../../core/records';
import { compileSource, runTimed } from '../../core/task';
import type { WorkloadFn } from '../../core/workload';
import { CELL, GilHandle, releaseDeadThread } from './gil-lock';

/** What a task under the lock adds to its result: its thread, its time waiting and holding, and each hold. */
export type GilExtra = { threadId: number; waitedMs: number; heldMs: number; holds: [number, number][] };

const { cells, id } = workerData as { cells: Int32Array; id: number };
const handle = new GilHandle(cells, id);
const on = () => Atomics.load(cells, CELL.enabled) === 1;

// workerpool never reports a thread that ends itself (process.exit), so it lets go of the lock itself.
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
  [handle.waitedMs, handle.heldMs, handle.holds.length] = [0, 0, 0];
  if (on()) handle.take();
  const result = await runTimed(fn, input, index, false).finally(() => handle.drop());
  const { waitedMs, heldMs, holds } = handle;
  const extra: GilExtra = { threadId: here().threadId, waitedMs, heldMs, holds: [...holds] };
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
