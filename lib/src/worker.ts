/**
 * The one worker entry, for both pools: workerpool runs this file in each worker thread
 * (workerType 'thread') and in each child process (workerType 'process').
 */
import { isMainThread } from 'node:worker_threads';
import workerpool from 'workerpool';
import { here, now } from './clock';
import { compileSource, runTimed } from './task';
import { watchParent } from './watchdog';
import { workloads } from './workloads';

// In a child process (not a worker thread): end with the parent, even in the middle of a task.
if (isMainThread && process.send) watchParent();

workerpool.worker({
  /** Runs a named workload on one input. */
  run: (name: string, input: unknown) => {
    const fn = workloads[name];
    if (!fn) throw new Error(`no workload named ${JSON.stringify(name)} in this worker`);
    return runTimed(fn, input);
  },
  /** Runs a function shipped as source text on one input. */
  runSource: (source: string, input: unknown) => runTimed(compileSource(source), input),
  /** Answers at once: where this worker runs and when it answered. */
  ping: () => ({ ...here(), at: now() }),
});
