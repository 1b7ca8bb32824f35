/** The one worker entry, for both pools: workerpool runs this file in each worker thread and child process. */
import { isMainThread } from 'node:worker_threads';
import { here, now } from './clock';
import type * as TaskModule from './task';
import type * as WatchdogModule from './watchdog';
import type { WorkloadFn } from './workload';

// Every pool worker boots a fresh Node, in parallel with the others: what a task needs is loaded
// with the first task, and the watchdog only where it runs, so that a worker answers its first ping sooner.
let taskModule: typeof TaskModule | undefined;
const task = () => (taskModule ??= require('./task') as typeof TaskModule);

// In a child process: end with the parent, even mid-task (unless setpriv --pdeathsig sees to it), and
// end quietly (no EPIPE stack trace) when the parent has gone before this process could say it is ready.
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

/** workerpool's worker side alone (`workerpool.worker`): its index would load the pool side too, 4 ms more per worker. */
const worker = require('workerpool/src/worker') as { add(methods: Record<string, (...args: any[]) => unknown>): void };

// A task of a module workload, a task of a function shipped as source, and a ping: where and when it answered.
worker.add({
  runModule: (file: string, name: string, input: unknown, index: number) =>
    task().runTimed(exported(file, name), input, index, false),
  runSource: (source: string, input: unknown, index: number) =>
    task().runTimed(task().compileSource(source), input, index, false),
  ping: () => ({ ...here(), at: now() }),
});
