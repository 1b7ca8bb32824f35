/** What every execution mode is to the measuring core: an executor that runs a batch of inputs. */
import type { Batch, Mode } from './records';

export type { Batch };

/** Limits applied to every task of an executor. */
export interface ExecutorOptions {
  /** A task running longer than this fails ("timed out"; default: no limit); in a pool, timed from hand-over, its worker is replaced. */
  timeoutMs?: number;
  /** Heap limit of each pool worker (thread resourceLimits, process --max-old-space-size). */
  memoryLimitMb?: number;
  /** Node and V8 flags for each pool process (default: none, as on the main thread; `npm run bench:pool` tries some). */
  processFlags?: readonly string[];
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
