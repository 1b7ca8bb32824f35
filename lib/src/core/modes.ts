/**
 * The execution modes, each a way to run a list of task inputs:
 * - sequential: one await after another on the calling thread (a plain for loop);
 * - async: all at once on the event loop with Promise.all (asyncio.gather);
 * - threads: a pool of worker threads (ThreadPoolExecutor, but without a GIL);
 * - processes: a pool of child processes (ProcessPoolExecutor);
 * and any mode a concept registers (`registerMode`), e.g. `queue`: a BullMQ queue on Redis.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import workerpool from 'workerpool';
import { now } from './clock';
import { InterruptedError, messageOf } from './errors';
import type { Peer, PeerRun } from './peers';
import type { TaskResult } from './records';
import { failed, runTimed } from './task';
import { onInterrupt, track } from './teardown';
import type { PoolSetup, ResolvedWorkload } from './workload';

/** The built-in execution modes, in the order the notebooks present them (and `compare`'s default). */
export const MODES = ['sequential', 'async', 'threads', 'processes'] as const;

/** A built-in mode. */
export type BuiltinMode = (typeof MODES)[number];

/**
 * Modes that concepts add, by name: a concept declares its mode here by declaration merging
 * (`declare module '../../core/modes' { interface RegisteredModes { queue: true } }`) and
 * registers it with `registerMode` when it is loaded, so the core never imports a concept.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface RegisteredModes {}

/** One execution mode: a built-in one or a registered one. */
export type Mode = BuiltinMode | Extract<keyof RegisteredModes, string>;

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
  /** Node and V8 flags for each pool process, e.g. ['--single-threaded-gc'] (default PROCESS_FLAGS). */
  processFlags?: readonly string[];
}

/**
 * V8's semi-space, in MB, for every pool worker, thread and process alike: each half of the
 * young generation, where new objects are made. Node's default grows it to 16 MB. A worker
 * that allocates fast (cpu() makes a new BigInt of up to 32 KB per multiplication) walks
 * the whole of it between two scavenges, so a larger one is more memory to fault in and to
 * keep in cache, for every worker: ten of them on two cores share the caches too.
 *
 * 100 x cpu(30) on 10 bare worker threads on the 2-core VM, with Node's default and with
 * semi-spaces of 4 MB in turn (`/usr/bin/time`, two rounds): 4.58 and 4.73 s against 4.24 and
 * 4.40 s wall, 8.9 and 9.1 s against 8.2 and 8.5 s of CPU, 71 and 75 thousand page faults
 * against 38 thousand. A process pool of 10 with --max-semi-space-size=4 against none, four
 * rounds in turn: 4664 against 4912 ms, its start-up alike.
 */
export const POOL_SEMI_SPACE_MB = 4;

/**
 * Node and V8 flags of every pool process unless `processFlags` says otherwise: the
 * semi-space above. Paired runs of --single-threaded-gc, --single-threaded, --v8-pool-size=1
 * and --max-semi-space-size=64 showed no gain in CPU per cpu(30) task or in start-up
 * (`npm run bench:pool` measures flag sets again, in pairs).
 */
export const PROCESS_FLAGS: readonly string[] = [`--max-semi-space-size=${POOL_SEMI_SPACE_MB}`];

/**
 * The options of a pool's worker thread: the semi-space above (V8 sizes a young generation
 * as three semi-spaces: two, and as much again for large new objects) and, when asked, a
 * heap limit.
 */
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
 * util-linux's `setpriv` when it can set a parent-death signal (Linux), else undefined. Pool
 * processes started through it are killed by the kernel the moment the process that
 * started them dies, so they need no watchdog thread of their own (one per process, about
 * 20-40 ms of CPU each to start, and slower to stop).
 */
export function parentDeathLauncher(): string | undefined {
  if (setprivChecked === undefined) {
    setprivChecked = null;
    if (process.platform === 'linux') {
      for (const file of ['/usr/bin/setpriv', '/bin/setpriv']) {
        const r = spawnSync(file, ['--help'], { encoding: 'utf8', timeout: 5000 });
        if (r.status === 0 && r.stdout.includes('--pdeathsig')) {
          setprivChecked = file;
          break;
        }
      }
    }
  }
  return setprivChecked ?? undefined;
}

/** The argument that tells a pool process its parent-death signal is set (see pool-worker.ts). */
export const PARENT_DEATH_ARG = '--clab-parent-death-signal';

/** How a pool process is started: Node with its flags, under setpriv where there is one. */
function forkOptions(options: ExecutorOptions): { execPath?: string; execArgv: string[]; args: string[] } {
  const { memoryLimitMb } = options;
  const flags = [
    ...(options.processFlags ?? PROCESS_FLAGS),
    ...(memoryLimitMb ? [`--max-old-space-size=${memoryLimitMb}`] : []),
  ];
  const setpriv = parentDeathLauncher();
  if (!setpriv) return { execArgv: flags, args: [] };
  return { execPath: setpriv, execArgv: ['--pdeathsig', 'KILL', process.execPath, ...flags], args: [PARENT_DEATH_ARG] };
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
    try {
      const result = await Promise.race([runTimed(this.workload.fn, input, index), timedOut]);
      const { record } = result;
      if (record.ok && record.end - record.start > timeoutMs) {
        const took = (record.end - record.start).toFixed(0);
        const error = `took ${took} ms, over the timeout of ${timeoutMs} ms (work on the calling thread cannot be stopped early)`;
        return { record: { ...record, ok: false, error }, value: undefined };
      }
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<TaskResult[]> {
    let stopped: string | undefined;
    const unsubscribe = onInterrupt((reason) => (stopped = reason));
    let done = 0;
    const one = async (input: unknown, index: number) => {
      if (stopped) throw new InterruptedError(stopped);
      const result = await this.task(input, index);
      onTask?.(++done);
      return result;
    };
    try {
      if (this.mode === 'async') return await Promise.all(inputs.map(one));
      const results: TaskResult[] = [];
      for (let i = 0; i < inputs.length; i++) {
        // Let the event loop turn between tasks (outside their timing), so that an interrupt
        // (Ctrl-C, "interrupt kernel") is seen before the next task, not after the last.
        if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        results.push(await one(inputs[i], i));
      }
      return results;
    } finally {
      unsubscribe();
    }
  }

  async close(): Promise<void> {}
}

const WORKER_SCRIPT = path.join(__dirname, 'pool-worker.js');

/** Longest a pool may take to start every worker and hear back from each. */
const START_TIMEOUT_MS = 60_000;

class PoolExecutor implements Executor {
  startupMs = 0;
  private readonly pool: workerpool.Pool;
  private readonly release: () => void;
  private stopped: string | undefined;
  private readonly unsubscribe: () => void;
  /** What the workload set up for this pool (e.g. a thread its workers share), ended with it. */
  private readonly setup: PoolSetup | undefined;

  constructor(
    readonly mode: 'threads' | 'processes',
    readonly workers: number,
    private readonly workload: ResolvedWorkload,
    private readonly options: ExecutorOptions = {},
  ) {
    const { memoryLimitMb } = options;
    const setup = workload.pool?.(mode);
    this.setup = setup;
    const fork = mode === 'processes' ? forkOptions(options) : undefined;
    this.pool = workerpool.pool(WORKER_SCRIPT, {
      workerType: mode === 'threads' ? 'thread' : 'process',
      maxWorkers: workers,
      // Every worker is started at once, here: they boot in parallel.
      minWorkers: workers,
      // Advanced serialization lets BigInt, Map, typed arrays etc. cross to child processes.
      forkOpts: {
        serialization: 'advanced',
        ...(fork?.execPath ? { execPath: fork.execPath } : {}),
        ...(fork?.execArgv.length ? { execArgv: fork.execArgv } : {}),
      },
      ...(fork?.args.length ? { forkArgs: fork.args } : {}),
      workerThreadOpts: poolThreadOptions(memoryLimitMb),
      workerTerminateTimeout: 1000,
      ...(setup?.onCreateWorker ? { onCreateWorker: setup.onCreateWorker } : {}),
    });
    this.release = track(this);
    this.unsubscribe = onInterrupt((reason) => (this.stopped = reason));
  }

  /**
   * Waits until every worker has started and answered once, at most START_TIMEOUT_MS;
   * records how long that took. An interrupt during start-up is an InterruptedError.
   */
  async start(createdAt: number): Promise<this> {
    try {
      const ping = () => this.pool.exec('ping', []).timeout(START_TIMEOUT_MS);
      await Promise.all(Array.from({ length: this.workers }, ping));
    } catch (error) {
      if (this.stopped) throw new InterruptedError(this.stopped);
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new Error(
          `the ${this.mode} pool of ${this.workers} did not start within ${START_TIMEOUT_MS / 1000} s ` +
            '(is the machine short of memory, processes or threads?)',
        );
      }
      throw error;
    }
    this.startupMs = now() - createdAt;
    return this;
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<TaskResult[]> {
    const [method, ...args] = this.workload.remote;
    let done = 0;
    const results = await Promise.all(
      inputs.map(async (input, index): Promise<TaskResult> => {
        const queuedAt = now();
        let result: TaskResult;
        try {
          const pending = this.pool.exec(method, [...args, input, index]);
          const { timeoutMs } = this.options;
          result = (await (timeoutMs ? pending.timeout(timeoutMs) : pending)) as TaskResult;
        } catch (error) {
          // The worker itself failed or was stopped: there is no timing from inside it.
          result = failed(index, queuedAt, this.explain(error), { pid: -1, threadId: -1 });
        }
        onTask?.(++done);
        return result;
      }),
    );
    if (this.stopped) throw new InterruptedError(this.stopped);
    return results;
  }

  /** Says what happened to a task whose worker failed; workerpool starts a new worker in its place. */
  private explain(error: unknown): string {
    return explainWorkerError(error, this.mode === 'threads' ? 'worker thread' : 'worker process', this.options);
  }

  async close(force = false): Promise<void> {
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
 * What happened to a task whose workerpool worker failed (timed out, died, ran out of memory),
 * as one line; workerpool starts a new worker in its place. `kind`: "worker thread" or
 * "worker process".
 */
export function explainWorkerError(error: unknown, kind: string, options: ExecutorOptions): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `timed out after ${options.timeoutMs} ms; its ${kind} was stopped and replaced`;
  }
  const text = error instanceof Error ? error.message : String(error);
  const field = (name: string) => {
    const value = new RegExp(`${name}: \`([^\`]*)\``).exec(text)?.[1];
    return value && value !== 'undefined' && value !== 'null' ? value : undefined;
  };
  if (/terminated unexpectedly/i.test(text)) {
    const code = field('exitCode');
    const signal = field('signalCode');
    const how = code !== undefined ? `exit code ${code}` : signal ? `signal ${signal}` : 'no exit code';
    return `its ${kind} died (${how}) and was replaced`;
  }
  if (/memory limit/i.test(text))
    return `its ${kind} ran out of memory (the limit is ${options.memoryLimitMb} MB) and was replaced`;
  return messageOf(error);
}

/** A mode a concept adds: how to start its executor, and whether it runs on a pool of workers. */
export interface ModeDefinition {
  name: Mode;
  /** True when it runs tasks on `workers` workers at once (its ideal speedup is min(workers, cores, tasks)). */
  pool: boolean;
  /**
   * Starts an executor; `modeOptions` is what the caller passed for this mode (compare's
   * `modeOptions[name]`), to be checked here. Resolves once every worker is up.
   */
  create(
    workers: number,
    workload: ResolvedWorkload,
    options: ExecutorOptions,
    modeOptions: unknown,
  ): Promise<Executor>;
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

/** True for a registered mode (one that a concept added). */
export function isRegisteredMode(mode: string): boolean {
  return registered.has(mode);
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
  const createdAt = now();
  const executor = new PoolExecutor(mode, workers, workload, options);
  try {
    return await executor.start(createdAt);
  } catch (error) {
    await executor.close(true);
    throw error;
  }
}

/**
 * A pool mode timed the way the course timed Python's executors (`with
 * ProcessPoolExecutor(10) as executor: ...`): each run creates a new pool, hands it every
 * input at once (tasks start on each worker as soon as it is up), and ends when the pool
 * has shut down. Nothing is warm: the workers compile the workload as they go.
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
    async run(onTask?: (done: number) => void): Promise<PeerRun> {
      const start = now();
      const executor = new PoolExecutor(mode, workers, workload, options);
      let results: TaskResult[];
      try {
        results = await executor.run(inputs, onTask);
      } finally {
        await executor.close();
      }
      const end = now();
      return {
        start,
        end,
        wallMs: end - start,
        tasks: results.map((r) => r.record),
        results: results.map((r) => r.value),
      };
    },
  };
}
