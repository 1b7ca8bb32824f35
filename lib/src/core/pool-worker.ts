/**
 * The one worker entry, for both pools: workerpool runs this file in each worker thread
 * (workerType 'thread') and in each child process (workerType 'process').
 */
import { isMainThread } from 'node:worker_threads';
import { here, now } from './clock';
import type * as TaskModule from './task';
import type * as WatchdogModule from './watchdog';
import type { WorkloadFn } from './workload';

// Every pool worker boots a fresh Node, in parallel with the others: what a task needs
// (task.ts, and with it node:v8 and the error helpers) is loaded with the first task, and
// the watchdog only where it runs, so that a worker answers its first ping with no more
// loaded than workerpool's worker side and this file.
let taskModule: typeof TaskModule | undefined;
const task = () => (taskModule ??= require('./task') as typeof TaskModule);

// In a child process (not a worker thread): end with the parent, even in the middle of a
// task (started under setpriv --pdeathsig, see pool.ts, the kernel sees to that already);
// and end quietly when the parent has gone before this process could say it is ready (a
// stop during start-up): no EPIPE stack trace on the terminal the parent shared with it.
if (isMainThread && process.send) {
  if (!process.argv.includes('--clab-parent-death-signal'))
    (require('./watchdog') as typeof WatchdogModule).watchParent();
  process.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_IPC_CHANNEL_CLOSED') process.exit(0);
    throw error;
  });
}

/** The function `name` exported by the module `file`, loaded once per worker. */
function exported(file: string, name: string): WorkloadFn {
  const fn = (require(file) as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`${file} exports no function named ${name}`);
  return fn as WorkloadFn;
}

/**
 * workerpool's worker side alone: `workerpool.worker(methods)` is `require('./worker').add(methods)`,
 * and requiring the package's index also loads its pool side (child_process, the worker
 * handler, option checks): about 4 ms of CPU more in every worker, measured on the 2-core VM.
 */
const worker = require('workerpool/src/worker') as { add(methods: Record<string, (...args: any[]) => unknown>): void };

worker.add({
  /** Runs a function exported by a module (a module workload) on one input. */
  runModule: (file: string, name: string, input: unknown, index: number) =>
    task().runTimed(exported(file, name), input, index, false),
  /** Runs a function shipped as source text on one input. */
  runSource: (source: string, input: unknown, index: number) =>
    task().runTimed(task().compileSource(source), input, index, false),
  /** Answers at once: where this worker runs and when it answered. */
  ping: () => ({ ...here(), at: now() }),
});
