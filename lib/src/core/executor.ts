/** What every execution mode is to the measuring core: an executor that runs a batch of inputs. */
import { Tasks, type Mode, type TaskResult } from './records';

/** Limits applied to every task of an executor. */
export interface ExecutorOptions {
  /**
   * A task running longer than this fails with "timed out"; in a pool its worker is stopped
   * and replaced. In a pool the clock starts when the task is handed to a worker, so a
   * worker that is still starting up counts against it.
   */
  timeoutMs?: number;
  /** Heap limit of each pool worker (thread resourceLimits, process --max-old-space-size). */
  memoryLimitMb?: number;
  /** Node and V8 flags for each pool process (default PROCESS_FLAGS in pool.ts). */
  processFlags?: readonly string[];
}

/** What one pass over the inputs produced: a record and a result per task, and what the mode adds. */
export interface Batch {
  tasks: Tasks;
  results: unknown[];
  detail?: Record<string, unknown>;
}

/** Runs task inputs in one mode; pools stay warm between calls until `close`. */
export interface Executor {
  readonly mode: Mode;
  readonly workers: number;
  /** Milliseconds from creating the pool until every worker answered (0 without a pool). */
  readonly startupMs: number;
  /** Runs every input; `onTask` is called as each finishes. Never rejects for a failing task. */
  run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<Batch>;
  close(force?: boolean): Promise<void>;
}

/** Stores each task's outcome in a batch by its index. */
export function batchOf(n: number, outcomes: Iterable<TaskResult>): Batch {
  const tasks = new Tasks(n);
  const results: unknown[] = new Array(n).fill(undefined);
  for (const { record, value } of outcomes) {
    tasks.set(record);
    results[record.index] = value;
  }
  return { tasks, results };
}
