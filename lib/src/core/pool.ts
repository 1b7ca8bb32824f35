/**
 * The pool every pool mode runs on: workerpool's threads or processes, started at once and
 * warm between runs, fed a bounded number of tasks at a time (enough to keep every worker
 * busy, never a queue of the whole input), and always shut down.
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
 * V8's semi-space, in MB, for every pool worker, thread and process alike: each half of the
 * young generation, where new objects are made. Node's default grows it to 16 MB; a worker
 * that allocates fast (cpu() makes a new BigInt of up to 32 KB per multiplication) walks the
 * whole of it between two scavenges, so a larger one is more memory to fault in and keep in
 * cache, for every worker at once. `npm run bench:pool` measures flag sets in pairs.
 */
export const POOL_SEMI_SPACE_MB = 4;

/** Node and V8 flags of every pool process unless `processFlags` says otherwise: the semi-space above. */
export const PROCESS_FLAGS: readonly string[] = [`--max-semi-space-size=${POOL_SEMI_SPACE_MB}`];

/** A pool thread's options: the semi-space above (V8 sizes a young generation as three semi-spaces) and a heap limit. */
export function poolThreadOptions(memoryLimitMb?: number): WorkerOptions {
  return {
    resourceLimits: {
      maxYoungGenerationSizeMb: 3 * POOL_SEMI_SPACE_MB,
      ...(memoryLimitMb ? { maxOldGenerationSizeMb: memoryLimitMb } : {}),
    },
  };
}

let setprivChecked: string | null | undefined;

/**
 * util-linux's `setpriv` when it can set a parent-death signal (Linux), else undefined: pool
 * processes started through it are killed by the kernel the moment their parent dies, so
 * they need no watchdog thread of their own.
 */
export function parentDeathLauncher(): string | undefined {
  if (setprivChecked === undefined) {
    setprivChecked = null;
    for (const file of process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'] : []) {
      const r = spawnSync(file, ['--help'], { encoding: 'utf8', timeout: 5000 });
      if (r.status === 0 && r.stdout.includes('--pdeathsig')) {
        setprivChecked = file;
        break;
      }
    }
  }
  return setprivChecked ?? undefined;
}

/** The argument that tells a pool process its parent-death signal is set (see pool-worker.ts). */
export const PARENT_DEATH_ARG = '--clab-parent-death-signal';

const WORKER_SCRIPT = path.join(__dirname, 'pool-worker.js');

/** Longest a pool may take to start every worker and hear back from each. */
const START_TIMEOUT_MS = 60_000;

/** Tasks handed to the pool at once per worker: one running, the next waiting, and room for a result on its way back. */
const IN_FLIGHT_PER_WORKER = 4;

/** Everything a pool needs: the mode it stands for, its size, the workload, and what a mode adds. */
export interface PoolOptions extends ExecutorOptions {
  mode: Mode;
  workers: number;
  workload: ResolvedWorkload;
  /** 'thread' or 'process' (default: 'process' for the processes mode, else 'thread'). */
  workerType?: 'thread' | 'process';
  /** The worker's entry file (default: the core's pool-worker.js). */
  script?: string;
  /** A mode's own per-pool setup, beside the workload's. */
  setup?: PoolSetup;
  /** Called when workerpool has ended a worker (with the options it was created with). */
  onTerminateWorker?: NonNullable<workerpool.WorkerPoolOptions['onTerminateWorker']>;
  /** Called before each run (a mode resets what it counts). */
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

/** A workerpool pool as an executor. */
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
    const flags = [
      ...(options.processFlags ?? PROCESS_FLAGS),
      ...(options.memoryLimitMb ? [`--max-old-space-size=${options.memoryLimitMb}`] : []),
    ];
    const setpriv = type === 'process' ? parentDeathLauncher() : undefined;
    this.pool = workerpool.pool(options.script ?? WORKER_SCRIPT, {
      workerType: type,
      maxWorkers: options.workers,
      minWorkers: options.workers, // every worker starts at once, here: they boot in parallel
      // Advanced serialization lets BigInt, Map, typed arrays etc. cross to child processes.
      forkOpts: {
        serialization: 'advanced',
        ...(setpriv
          ? { execPath: setpriv, execArgv: ['--pdeathsig', 'KILL', process.execPath, ...flags] }
          : { execArgv: flags }),
      },
      ...(setpriv ? { forkArgs: [PARENT_DEATH_ARG] } : {}),
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
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new Error(
          `the ${options.mode} pool of ${options.workers} did not start within ${START_TIMEOUT_MS / 1000} s ` +
            '(is the machine short of memory, processes or threads?)',
        );
      }
      throw error;
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
      if (!(error instanceof Error && error.name === 'TimeoutError')) this.restartQueue();
      return failed(index, queuedAt, explainWorkerError(error, kind, this.options, oom), { pid: -1, threadId: -1 });
    }
  }

  /**
   * workerpool (10.0.3) replaces a worker that died by itself (an exit, an uncaught error,
   * out of memory) but hands the tasks queued behind it on only when another task is
   * submitted or finishes: its clean-up of the dead worker waits for an 'exit' that has
   * already happened. In a pool of one, or when every worker died, nothing else comes and
   * the run waited for ever. A ping on the next turn, once the dead worker has left the
   * pool, goes to its replacement and sets the queue moving again.
   */
  private restartQueue(): void {
    setImmediate(() => {
      if (!this.closed) this.pool.exec('ping', []).catch(() => undefined);
    });
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<Batch> {
    this.options.beforeRun?.();
    const n = inputs.length;
    // Each outcome goes into the batch's columns as it arrives: no object per task lives
    // until the run ends (in a large run they would fill V8's old generation).
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
 * A pool mode timed the way the course timed Python's executors (`with
 * ProcessPoolExecutor(10) as executor: ...`): each run creates a new pool, hands it every
 * input (tasks start on each worker as soon as it is up), and ends when the pool has shut
 * down. Nothing is warm: the workers compile the workload as they go.
 */
export function endToEndPeer(
  mode: 'threads' | 'processes',
  workers: number,
  workload: ResolvedWorkload,
  inputs: readonly unknown[],
  options: ExecutorOptions = {},
): Peer {
  return {
    label: `${mode} (${workers}), end to end`,
    origin: 'node',
    mode,
    workers,
    startupIncluded: true,
    async run(onTask) {
      const start = now();
      const executor = new PoolExecutor({ mode, workers, workload, ...options });
      let batch: Batch;
      try {
        batch = await executor.run(inputs, onTask);
      } finally {
        await executor.close();
      }
      const end = now();
      return { start, end, wallMs: end - start, ...batch };
    },
  };
}
