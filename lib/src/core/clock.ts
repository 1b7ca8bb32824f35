/** One clock for every thread and process: epoch milliseconds with sub-millisecond resolution. */
import { threadId } from 'node:worker_threads';

export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Where code is running: the process id and the worker thread id (0 = main thread). */
export function here(): { pid: number; threadId: number } {
  return { pid: process.pid, threadId };
}
