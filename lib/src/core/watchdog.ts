/**
 * A pool worker process must not outlive its parent, even with its event loop busy: a tiny thread
 * checks the parent every `intervalMs` and kills the child outright once the parent is gone.
 */
import { Worker } from 'node:worker_threads';

const WATCH = `
const { workerData } = require('node:worker_threads');
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
setInterval(() => {
  if (process.ppid !== workerData.parent || !alive(workerData.parent)) process.kill(workerData.self, 'SIGKILL');
}, workerData.intervalMs);
`;

/** Starts the watchdog thread (unref'd: it never keeps the process alive by itself). */
export function watchParent(intervalMs = 250): void {
  const worker = new Worker(WATCH, {
    eval: true,
    workerData: { parent: process.ppid, self: process.pid, intervalMs },
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
}
