/**
 * The floor under every Node pool's start-up on this machine: `workers` bare worker threads,
 * and `workers` bare `node` processes, started at once, each timed until it has said it is
 * up (one message). Nothing of the library or of workerpool is loaded: this is what Node
 * itself costs, so a pool's start-up can be read against it, and against Python's (a
 * ThreadPoolExecutor starts OS threads; a ProcessPoolExecutor forks an interpreter that is
 * already up).
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { now } from 'concurrency-lab';
import { median } from 'concurrency-lab/tooling';

const round = (v: number) => Number(v.toFixed(1));

/**
 * Starts `workers` of something at once with `start` (which resolves when that one has
 * spoken); the time until all have, in ms. Each is stopped with `stop` afterwards, whatever happened.
 */
async function bootAll<T>(
  workers: number,
  start: (up: () => void, failed: (error: Error) => void) => T,
  stop: (started: T) => unknown,
): Promise<number> {
  const begun = now();
  const started: T[] = [];
  try {
    await Promise.all(
      Array.from({ length: workers }, () => new Promise<void>((up, failed) => void started.push(start(up, failed)))),
    );
    return now() - begun;
  } finally {
    await Promise.all(started.map(stop));
  }
}

/** `workers` bare worker threads, from `new Worker` until each has posted once; then terminated. */
function bootThreads(workers: number): Promise<number> {
  return bootAll(
    workers,
    (up, failed) => {
      const worker = new Worker("require('node:worker_threads').parentPort.postMessage(0)", { eval: true });
      worker.once('message', up).once('error', failed);
      return worker;
    },
    (worker) => worker.terminate(),
  );
}

/** `workers` bare `node` processes with an IPC channel, from spawn until each has sent once; then killed. */
function bootProcesses(workers: number): Promise<number> {
  return bootAll(
    workers,
    (up, failed) => {
      const child = spawn(process.execPath, ['-e', 'process.send(0, () => process.disconnect())'], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      child.once('message', up).once('error', failed);
      child.once('exit', (code) => failed(new Error(`a bare node process exited (code ${code}) before it spoke`)));
      return child;
    },
    (child) => child.exitCode === null && child.kill(),
  );
}

/** Bare threads and bare processes, `rounds` times each, alternating; medians in ms. */
export async function benchNodeBoot(workers = 10, rounds = 3) {
  const threads: number[] = [];
  const processes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    threads.push(await bootThreads(workers));
    processes.push(await bootProcesses(workers));
  }
  return { workers, rounds, bareThreadsMs: round(median(threads)), bareProcessesMs: round(median(processes)) };
}
