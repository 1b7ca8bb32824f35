/**
 * The pool every pool mode runs on: workerpool's threads or processes, started at once, warm
 * between runs, fed enough tasks to keep every worker busy (never the whole input), always shut down.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import workerpool from 'workerpool';
import { now } from './clock';
import { InterruptedError } from './errors';
import type { Batch, Executor, ExecutorOptions } from './executor';
import type { Peer } from './peers';
import { Tasks, type Mode, type TaskResult } from './records';
import { failed } from './task';
import { explainWorkerError, relayOutput, uncopyable } from './worker-faults';
import { onInterrupt, track } from './teardown';
import type { PoolSetup, ResolvedWorkload } from './workload';

/**
 * A pool thread's options: a heap limit when asked for, else Node's defaults, as on the main thread (rows compare
 * like for like; a smaller young generation gained nothing in `npm run bench:pool`). A V8 flag on a process costs
 * start-up: V8 then refuses Node's built-in code cache.
 */
export function poolThreadOptions(memoryLimitMb?: number): WorkerOptions {
  return memoryLimitMb ? { resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb } } : {};
}

let setpriv: string | null | undefined;

/** util-linux's `setpriv` where it can set a parent-death signal: pool processes then need no watchdog thread. */
function parentDeathLauncher(): string | undefined {
  if (setpriv === undefined) {
    const candidates = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'] : [];
    const works = (file: string) => {
      const r = spawnSync(file, ['--help'], { encoding: 'utf8', timeout: 5000 });
      return r.status === 0 && r.stdout.includes('--pdeathsig');
    };
    setpriv = candidates.find(works) ?? null;
  }
  return setpriv ?? undefined;
}

const WORKER_SCRIPT = path.join(__dirname, 'pool-worker.js');

/** Longest a pool may take to start every worker and hear back from each. */
const START_TIMEOUT_MS = 60_000;

/** Tasks handed to the pool at once per worker: one running, the next waiting, and room for a result on its way back. */
const IN_FLIGHT_PER_WORKER = 4;

interface PoolOptions extends ExecutorOptions {
  mode: Mode;
  workers: number;
  workload: ResolvedWorkload;
  /** Default: 'process' for the processes mode, else 'thread'; the worker's entry file defaults to pool-worker.js. */
  workerType?: 'thread' | 'process';
  script?: string;
  /** A mode's own per-pool setup beside the workload's, and its hooks: when a worker ended, before each run. */
  setup?: PoolSetup;
  onTerminateWorker?: NonNullable<workerpool.WorkerPoolOptions['onTerminateWorker']>;
  beforeRun?: () => void;
  /** Turns each task's `extra` (from the worker) into the run's detail. */
  detail?: (extras: readonly unknown[]) => Record<string, unknown> | undefined;
}

/** What the first of several onCreateWorker hooks returns, merged with the next's. */
function mergeSetups(setups: (PoolSetup | undefined)[]): PoolSetup | undefined {
  const list = setups.filter((s): s is PoolSetup => s !== undefined);
  if (list.length === 0) return undefined;
  const hooks = list.flatMap((s) => (s.onCreateWorker ? [s.onCreateWorker] : []));
  return {
    ...(hooks.length ? { onCreateWorker: (o) => hooks.reduce((acc, hook) => ({ ...acc, ...hook(acc) }), o) } : {}),
    close: async () => void (await Promise.allSettled(list.map((s) => s.close()))),
  };
}

export class PoolExecutor implements Executor {
  readonly mode: Mode;
  readonly workers: number;
  startupMs = 0;
  private readonly pool: workerpool.Pool;
  private readonly setup: PoolSetup | undefined;
  private readonly release: () => void;
  private readonly unsubscribe: () => void;
  private stopped: string | undefined;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    this.mode = options.mode;
    this.workers = options.workers;
    const type = options.workerType ?? (options.mode === 'processes' ? 'process' : 'thread');
    this.setup = mergeSetups([options.workload.pool?.(type === 'thread' ? 'threads' : 'processes'), options.setup]);
    const heap = options.memoryLimitMb ? [`--max-old-space-size=${options.memoryLimitMb}`] : [];
    const flags = [...(options.processFlags ?? []), ...heap];
    const setpriv = type === 'process' ? parentDeathLauncher() : undefined;
    const launch = setpriv ? { execPath: setpriv, execArgv: ['--pdeathsig', 'KILL', process.execPath, ...flags] } : {};
    this.pool = workerpool.pool(options.script ?? WORKER_SCRIPT, {
      workerType: type,
      maxWorkers: options.workers,
      minWorkers: options.workers, // every worker starts at once, here: they boot in parallel
      // Advanced serialization lets BigInt, Map, typed arrays etc. cross to child processes.
      forkOpts: { serialization: 'advanced', execArgv: flags, ...launch },
      ...(setpriv ? { forkArgs: ['--clab-parent-death-signal'] } : {}), // see pool-worker.ts
      workerThreadOpts: poolThreadOptions(options.memoryLimitMb),
      workerTerminateTimeout: 1000,
      emitStdStreams: type === 'process', // passed on by relayOutput, less V8's out-of-memory report
      ...(this.setup?.onCreateWorker ? { onCreateWorker: this.setup.onCreateWorker } : {}),
      ...(options.onTerminateWorker ? { onTerminateWorker: options.onTerminateWorker } : {}),
    });
    this.release = track(this);
    this.unsubscribe = onInterrupt((reason) => (this.stopped = reason));
  }

  /** Creates a pool and waits until every worker has started and answered once (at most a minute). */
  static async start(options: PoolOptions): Promise<PoolExecutor> {
    const createdAt = now();
    const executor = new PoolExecutor(options);
    try {
      const ping = () => executor.pool.exec('ping', []).timeout(START_TIMEOUT_MS);
      await Promise.all(Array.from({ length: options.workers }, ping));
    } catch (error) {
      await executor.close(true);
      if (executor.stopped) throw new InterruptedError(executor.stopped);
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
      const late = `did not start within ${START_TIMEOUT_MS / 1000} s (is the machine short of memory, processes or threads?)`;
      throw new Error(`the ${options.mode} pool of ${options.workers} ${late}`);
    }
    executor.startupMs = now() - createdAt;
    return executor;
  }

  private async one(input: unknown, index: number): Promise<TaskResult> {
    const queuedAt = now();
    const refused = uncopyable(input);
    if (refused) return failed(index, queuedAt, refused, { pid: -1, threadId: -1 });
    let oom = false; // V8 said so on the process's stderr
    try {
      const [method, ...args] = this.options.workload.remote;
      const relay =
        this.pool.workerType === 'process' ? { on: (p: object) => (oom = relayOutput(p) || oom) } : undefined;
      const pending = this.pool.exec(method, [...args, input, index], relay);
      const { timeoutMs } = this.options;
      return (await (timeoutMs ? pending.timeout(timeoutMs) : pending)) as TaskResult;
    } catch (error) {
      // The worker itself failed or was stopped: there is no timing from inside it.
      const kind = this.pool.workerType === 'process' ? 'worker process' : 'worker thread';
      // workerpool (10.0.3) hands the tasks queued behind a worker that died on only when another task is
      // submitted or finishes: a ping on the next turn goes to its replacement and sets the queue moving.
      const restart = () => {
        if (!this.closed) this.pool.exec('ping', []).catch(() => undefined);
      };
      if (!(error instanceof Error && error.name === 'TimeoutError')) setImmediate(restart);
      return failed(index, queuedAt, explainWorkerError(error, kind, this.options, oom), { pid: -1, threadId: -1 });
    }
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<Batch> {
    this.options.beforeRun?.();
    const n = inputs.length;
    // Each outcome goes into the batch's columns as it arrives: no object per task lives until the run ends.
    const batch: Batch = { tasks: new Tasks(n), results: new Array<unknown>(n).fill(undefined) };
    const extras: unknown[] | undefined = this.options.detail ? new Array<unknown>(n).fill(undefined) : undefined;
    let next = 0;
    let done = 0;
    const feed = async () => {
      while (next < n && !this.stopped) {
        const i = next++;
        const { record, value, extra } = await this.one(inputs[i], i);
        batch.tasks.set(record);
        batch.results[record.index] = value;
        if (extras) extras[i] = extra;
        onTask?.(++done);
      }
    };
    const lanes = Math.min(n, IN_FLIGHT_PER_WORKER * this.workers);
    await Promise.all(Array.from({ length: lanes }, feed));
    if (this.stopped) throw new InterruptedError(this.stopped);
    const detail = extras && this.options.detail?.(extras);
    return detail ? { ...batch, detail } : batch;
  }

  async close(force = false): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    this.release();
    try {
      await this.pool.terminate(force);
    } finally {
      await this.setup?.close();
    }
  }
}

/**
 * A pool mode timed as the course timed Python's executors (`with ProcessPoolExecutor(10) as ...`):
 * each run creates a pool, hands it every input, and ends when it has shut down. Nothing is warm.
 */
export function endToEndPeer(
  options: PoolOptions & { mode: 'threads' | 'processes' },
  inputs: readonly unknown[],
): Peer {
  const { mode, workers } = options;
  return {
    label: `${mode} (${workers}), end to end`,
    origin: 'node',
    mode,
    workers,
    startupIncluded: true,
    async run(onTask) {
      const start = now();
      const executor = new PoolExecutor(options);
      const batch = await executor.run(inputs, onTask).finally(() => executor.close());
      const end = now();
      return { start, end, wallMs: end - start, ...batch };
    },
  };
}
