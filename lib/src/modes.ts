/**
 * The execution modes, each a way to run a list of task inputs:
 * - sequential: one await after another on the calling thread (a plain for loop);
 * - async: all at once on the event loop with Promise.all (asyncio.gather);
 * - threads: a pool of worker threads (ThreadPoolExecutor, but without a GIL);
 * - processes: a pool of child processes (ProcessPoolExecutor).
 */
import path from 'node:path';
import workerpool from 'workerpool';
import { now } from './clock';
import { InterruptedError, messageOf } from './errors';
import type { TaskRecord } from './records';
import { runTimed, type TaskOutcome } from './task';
import { onInterrupt, track } from './teardown';
import type { ResolvedWorkload } from './workload';

/** Every execution mode, in the order the notebooks present them. */
export const MODES = ['sequential', 'async', 'threads', 'processes'] as const;

/** One execution mode. */
export type Mode = (typeof MODES)[number];

/** Modes that run on a pool of workers. */
export const POOL_MODES: readonly Mode[] = ['threads', 'processes'];

/** A task's record plus its value, as an executor returns it. */
export interface TaskResult {
  record: TaskRecord;
  value: unknown;
}

/** Runs task inputs in one mode; pools stay warm between calls until `close`. */
export interface Executor {
  readonly mode: Mode;
  readonly workers: number;
  /** Milliseconds from creating the pool until every worker answered (0 without a pool). */
  readonly startupMs: number;
  /** Runs every input; `onTask` is called as each finishes. Never rejects for a failing task. */
  run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<TaskResult[]>;
  close(force?: boolean): Promise<void>;
}

function toResult(index: number, outcome: TaskOutcome): TaskResult {
  const { value, ...rest } = outcome;
  const record: TaskRecord = { index, ...rest };
  if (record.error === undefined) delete record.error;
  return { record, value: outcome.ok ? value : undefined };
}

class LocalExecutor implements Executor {
  readonly workers = 1;
  readonly startupMs = 0;
  constructor(
    readonly mode: 'sequential' | 'async',
    private readonly workload: ResolvedWorkload,
  ) {}

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<TaskResult[]> {
    const { fn } = this.workload;
    let stopped: string | undefined;
    const unsubscribe = onInterrupt((reason) => (stopped = reason));
    let done = 0;
    const one = async (input: unknown, index: number) => {
      if (stopped) throw new InterruptedError(stopped);
      const result = toResult(index, await runTimed(fn, input));
      onTask?.(++done);
      return result;
    };
    try {
      if (this.mode === 'async') return await Promise.all(inputs.map(one));
      const results: TaskResult[] = [];
      for (let i = 0; i < inputs.length; i++) results.push(await one(inputs[i], i));
      return results;
    } finally {
      unsubscribe();
    }
  }

  async close(): Promise<void> {}
}

const WORKER_SCRIPT = path.join(__dirname, 'worker.js');

class PoolExecutor implements Executor {
  startupMs = 0;
  private readonly pool: workerpool.Pool;
  private readonly release: () => void;
  private stopped: string | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    readonly mode: 'threads' | 'processes',
    readonly workers: number,
    private readonly workload: ResolvedWorkload,
  ) {
    this.pool = workerpool.pool(WORKER_SCRIPT, {
      workerType: mode === 'threads' ? 'thread' : 'process',
      maxWorkers: workers,
      minWorkers: workers,
      // Advanced serialization lets BigInt, Map, typed arrays etc. cross to child processes.
      forkOpts: { serialization: 'advanced' },
      workerTerminateTimeout: 1000,
    });
    this.release = track(this);
    this.unsubscribe = onInterrupt((reason) => (this.stopped = reason));
  }

  /** Waits until every worker has started and answered once; records how long that took. */
  async start(createdAt: number): Promise<this> {
    await Promise.all(Array.from({ length: this.workers }, () => this.pool.exec('ping', [])));
    this.startupMs = now() - createdAt;
    return this;
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<TaskResult[]> {
    const [method, name] = this.workload.remote;
    let done = 0;
    const results = await Promise.all(
      inputs.map(async (input, index): Promise<TaskResult> => {
        const queuedAt = now();
        let result: TaskResult;
        try {
          result = toResult(index, (await this.pool.exec(method, [name, input])) as TaskOutcome);
        } catch (error) {
          // The worker itself failed (it exited, or was terminated): no timing from inside.
          const end = now();
          result = {
            record: { index, pid: -1, threadId: -1, start: queuedAt, end, ok: false, error: messageOf(error) },
            value: undefined,
          };
        }
        onTask?.(++done);
        return result;
      }),
    );
    if (this.stopped) throw new InterruptedError(this.stopped);
    return results;
  }

  async close(force = false): Promise<void> {
    this.unsubscribe();
    this.release();
    await this.pool.terminate(force);
  }
}

/** Starts an executor for `mode`; pool modes resolve once every worker is up. */
export async function createExecutor(mode: Mode, workers: number, workload: ResolvedWorkload): Promise<Executor> {
  if (mode === 'sequential' || mode === 'async') return new LocalExecutor(mode, workload);
  const createdAt = now();
  const executor = new PoolExecutor(mode, workers, workload);
  try {
    return await executor.start(createdAt);
  } catch (error) {
    await executor.close(true);
    throw error;
  }
}
