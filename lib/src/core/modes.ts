/**
 * The execution modes: sequential (one await after another), async (Promise.all, like asyncio.gather),
 * threads and processes (pools, without a GIL), and any mode a concept registers (the queue, the GIL).
 */
import { now } from './clock';
import { InterruptedError } from './errors';
import { PoolExecutor } from './pool';
import type { Batch, Executor, ExecutorOptions } from './executor';
import { MODES, Tasks, type Mode, type TaskResult } from './records';
import { failed, runTimed } from './task';
import { onInterrupt } from './teardown';
import type { ResolvedWorkload } from './workload';

class LocalExecutor implements Executor {
  readonly workers = 1;
  readonly startupMs = 0;
  constructor(
    readonly mode: 'sequential' | 'async',
    private readonly workload: ResolvedWorkload,
    private readonly options: ExecutorOptions = {},
  ) {}

  /** One task, held to the timeout: a waiting task is abandoned; a busy one cannot be stopped, so it is failed afterwards. */
  private async task(input: unknown, index: number): Promise<TaskResult> {
    const { timeoutMs } = this.options;
    if (timeoutMs === undefined) return runTimed(this.workload.fn, input, index);
    const start = now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<TaskResult>((resolve) => {
      timer = setTimeout(() => resolve(failed(index, start, `timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    const result = await Promise.race([runTimed(this.workload.fn, input, index), timedOut]);
    clearTimeout(timer);
    const { record } = result;
    if (!record.ok || record.end - record.start <= timeoutMs) return result;
    const took = (record.end - record.start).toFixed(0);
    const error = `took ${took} ms, over the timeout of ${timeoutMs} ms (work on the calling thread cannot be stopped early)`;
    return { record: { ...record, ok: false, error }, value: undefined };
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<Batch> {
    let stopped: string | undefined;
    const unsubscribe = onInterrupt((reason) => (stopped = reason));
    let done = 0;
    const batch: Batch = {
      tasks: new Tasks(inputs.length),
      results: new Array<unknown>(inputs.length).fill(undefined),
    };
    const one = async (input: unknown, index: number) => {
      if (stopped) throw new InterruptedError(stopped);
      const { record, value } = await this.task(input, index);
      batch.tasks.set(record);
      batch.results[record.index] = value;
      onTask?.(++done);
    };
    try {
      if (this.mode === 'async') await Promise.all(inputs.map(one));
      else {
        for (let i = 0; i < inputs.length; i++) {
          // Let the event loop turn between tasks (outside their timing), so that an interrupt is seen at once.
          if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
          await one(inputs[i], i);
        }
      }
      return batch;
    } finally {
      unsubscribe();
    }
  }

  async close(): Promise<void> {}
}

/** A mode a concept adds: how to start its executor, and whether it runs on a pool of workers. */
interface ModeDefinition {
  name: Mode;
  /** True when it runs tasks on `workers` workers at once (its ideal speedup is min(workers, cores, tasks)). */
  pool: boolean;
  /** Starts an executor, resolving once every worker is up; `modeOptions` is this row's (an entry's, else compare's). */
  create(
    workers: number,
    workload: ResolvedWorkload,
    options: ExecutorOptions,
    modeOptions: unknown,
  ): Promise<Executor>;
  /** Checks this mode's options up front, before anything starts (throws a ParameterError). */
  check?(modeOptions: unknown): void;
}

const registered = new Map<string, ModeDefinition>();

/** Adds a mode to every measurement (`compare({ modes: [..., name] })`); a concept calls this when loaded. */
export function registerMode(definition: ModeDefinition): void {
  registered.set(definition.name, definition);
}

/** Every mode `compare` accepts: the built-in ones, then the registered ones. */
export function modeNames(): Mode[] {
  return [...MODES, ...(registered.keys() as IterableIterator<Mode>)];
}

/** True for the modes that run on a pool of workers (threads, processes, and registered pool modes). */
export function isPoolMode(mode: string): boolean {
  return mode === 'threads' || mode === 'processes' || registered.get(mode)?.pool === true;
}

/** A registered mode's definition (undefined for the built-in ones). */
export function registeredMode(mode: string): ModeDefinition | undefined {
  return registered.get(mode);
}

/** Starts an executor for `mode`; pool modes resolve once every worker is up. */
export async function createExecutor(
  mode: Mode,
  workers: number,
  workload: ResolvedWorkload,
  options: ExecutorOptions = {},
  modeOptions?: unknown,
): Promise<Executor> {
  if (mode === 'sequential' || mode === 'async') return new LocalExecutor(mode, workload, options);
  const definition = registered.get(mode);
  if (definition) return definition.create(workers, workload, options, modeOptions);
  if (mode !== 'threads' && mode !== 'processes') throw new Error(`no mode named ${mode} is registered`);
  return PoolExecutor.start({ mode, workers, workload, ...options });
}
