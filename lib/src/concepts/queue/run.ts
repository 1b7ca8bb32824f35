/**
 * The queue experiments of notebook 07: a queue of workers you hold in your hand (to kill
 * one), the round trip of a task that does nothing, the same CPU tasks on 1..2x cores queue
 * workers and process pools, the broker's own time per job, and the recovery after a worker
 * was killed mid-task.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { now } from '../../core/clock';
import { cores, environment } from '../../core/environment';
import { compare, pass, sweep, warm, type Comparison, type Sweep, type SweepPoint } from '../../core/measure';
import type { Environment, Run, TaskRecord, TaskResult } from '../../core/records';
import { median } from '../../core/stats';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';
import { resolveWorkload, type WorkloadFn } from '../../core/workload';
import { openBroker, redactUrl, REDIS_URL_ENV, type Broker } from './broker';
import { CLOCK_SKEW_ENV } from './clock';
import { checkQueueName, MAX_QUEUE_WORKERS, QUEUE_DEFAULTS, QueueExecutor, type QueueModeOptions } from './executor';
import { distributedModel, fitGrowth, type DistributedModel } from './usl';

/** Options of `open`: a workload, how many local workers, and the queue mode's options. */
export interface OpenOptions extends QueueModeOptions {
  workload: string | WorkloadFn;
  /** Local worker processes (default: one per core). */
  workers?: number;
  timeoutMs?: number;
  memoryLimitMb?: number;
}

/**
 * Starts a queue run you drive yourself: `run(inputs, onTask)` as often as you like,
 * `processes()` to see (or kill) its workers, `close()` at the end. `compare` does the same
 * inside; this is for when you want your hands on the workers.
 */
export async function open(options: OpenOptions): Promise<QueueExecutor> {
  const { workload, workers, timeoutMs, memoryLimitMb, ...modeOptions } = options;
  const n = check.integer('workers', workers ?? cores(), 1, MAX_QUEUE_WORKERS);
  return QueueExecutor.start(
    n,
    resolveWorkload(workload),
    {
      ...(timeoutMs === undefined ? {} : { timeoutMs: check.positive('timeoutMs', timeoutMs) }),
      ...(memoryLimitMb === undefined ? {} : { memoryLimitMb }),
    },
    modeOptions,
  );
}

/** Commands that are the library's own traffic (connecting, asking), not the work of jobs. */
const ADMIN_COMMANDS =
  /^(info|client|hello|select|script|time|ping|config|quit|command|auth|eval_ro|evalsha_ro|xinfo|memory|type)$/;

/** Microseconds the broker's one thread has spent on BullMQ's work so far (INFO commandstats). */
export async function brokerWorkUs(client: Redis): Promise<number> {
  const text = await client.info('commandstats');
  let total = 0;
  for (const m of text.matchAll(/^cmdstat_([\w|]+):calls=\d+,usec=(\d+)/gm)) {
    if (!ADMIN_COMMANDS.test(m[1]!)) total += Number(m[2]);
  }
  return total;
}

/** Runs `fn` with a broker: the one given, else one opened for it (and closed after). */
async function withBroker<T>(options: QueueModeOptions, fn: (broker: Broker) => Promise<T>): Promise<T> {
  const broker = options.broker ?? (await openBroker({ redisUrl: options.redisUrl }));
  try {
    return await fn(broker);
  } finally {
    if (!options.broker) await broker.close();
  }
}

/** Counts the broker's work (ms of its thread) while `fn` runs. */
async function brokerWork<T>(broker: Broker, fn: () => Promise<T>): Promise<{ value: T; workMs: number }> {
  const client = new Redis({ ...broker.connection, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    const before = await brokerWorkUs(client);
    const value = await fn();
    const workMs = ((await brokerWorkUs(client)) - before) / 1000;
    return { value, workMs };
  } finally {
    client.disconnect();
  }
}

/** Options of `roundTrip`. */
export interface RoundTripOptions extends Pick<QueueModeOptions, 'broker' | 'redisUrl' | 'queueName'> {
  /** Tasks that do nothing (spin(0)) per run (default 200). */
  tasks?: number;
  /** Timed runs per mode (default 3). */
  repeats?: number;
  /** Worker counts at which to count the broker's time per job (default just 1). */
  brokerWorkers?: readonly number[];
  params?: Record<string, unknown>;
}

/** What a task costs when it does nothing, in each mode, and what it costs the broker. */
export interface RoundTrip {
  tasks: number;
  /** One worker each: the thread pool, the process pool, the queue. */
  comparison: Comparison;
  /** Milliseconds per task of every run, by mode. */
  perTaskMs: Record<'threads' | 'processes' | 'queue', number[]>;
  /** The broker's own time per job (ms), at each worker count tried. */
  brokerBusy: { workers: number; msPerJob: number; jobs: number }[];
  env: Environment;
}

/**
 * Times a task that does nothing through one worker of each kind: the time per task is then
 * all overhead (hand-off, the trip back, and for the queue the broker's scripts and the
 * events). Also counts the broker's own time per job at one worker and at more.
 */
export async function roundTrip(options: RoundTripOptions = {}): Promise<RoundTrip> {
  const tasks = check.integer('tasks', options.tasks ?? 200, 1, 100_000);
  const repeats = check.integer('repeats', options.repeats ?? 3, 1, 100);
  const counts = options.brokerWorkers ?? [1];
  return withBroker(options, async (broker) => {
    const queueOptions = { broker, ...(options.queueName ? { queueName: options.queueName } : {}) };
    const inputs = Array<number>(tasks).fill(0);
    const { value: comparison, workMs } = await brokerWork(broker, () =>
      compare({
        workload: 'spin',
        inputs,
        modes: ['threads', 'processes', 'queue'],
        workers: 1,
        repeats,
        params: options.params,
        modeOptions: { queue: queueOptions },
      }),
    );
    const perTaskMs = { threads: [] as number[], processes: [] as number[], queue: [] as number[] };
    for (const run of comparison.runs) perTaskMs[run.mode as keyof typeof perTaskMs].push(run.wallMs / tasks);
    const jobsAt = (workers: number) => tasks * repeats + Math.min(tasks, workers); // timed runs + warm-up
    const brokerBusy = [{ workers: 1, msPerJob: workMs / jobsAt(1), jobs: jobsAt(1) }];
    for (const workers of counts.filter((n) => n !== 1)) {
      const more = await brokerWork(broker, () =>
        compare({ workload: 'spin', inputs, modes: ['queue'], workers, repeats, modeOptions: { queue: queueOptions } }),
      );
      brokerBusy.push({ workers, msPerJob: more.workMs / jobsAt(workers), jobs: jobsAt(workers) });
    }
    return { tasks, comparison, perTaskMs, brokerBusy, env: comparison.env };
  });
}

/** Options of `scaling`. */
export interface ScalingOptions extends Pick<QueueModeOptions, 'broker' | 'redisUrl' | 'queueName'> {
  workload: string | WorkloadFn;
  inputs: readonly unknown[];
  /** Worker counts (default 1 to twice the cores). */
  workers?: readonly number[];
  /** Timed runs per worker count (default 1). */
  repeats?: number;
  params?: Record<string, unknown>;
  onProgress?: Parameters<typeof compare>[0]['onProgress'];
}

/** The same tasks on process pools and on queue workers of each size, and the broker's time per job. */
export interface QueueScaling {
  processes: Sweep;
  /** The queue's points; each point's startupMs is what growing to that size took (the first: starting). */
  queue: Sweep;
  /** The broker's own time per job (ms) at each queue worker count. */
  brokerBusy: { workers: number; msPerJob: number }[];
  /** The work of one task (median of end − start on one queue worker), ms. */
  taskMs: number;
  env: Environment;
}

/**
 * Runs the tasks on process pools of each size (a sweep, with a sequential baseline), then on
 * that many queue workers (the same baseline), counting the broker's work at each size.
 */
export async function scaling(options: ScalingOptions): Promise<QueueScaling> {
  const env = environment();
  const sizes = check.nonEmptyList<unknown>(
    'workers',
    options.workers ?? Array.from({ length: 2 * env.cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, MAX_QUEUE_WORKERS));
  const repeats = check.integer('repeats', options.repeats ?? 1, 1, 100);
  return withBroker(options, async (broker) => {
    const queueOptions = { broker, ...(options.queueName ? { queueName: options.queueName } : {}) };
    const common = { workload: options.workload, inputs: options.inputs, repeats, params: options.params };
    const processes = await sweep({
      ...common,
      mode: 'processes',
      workers: sizes as number[],
      onProgress: options.onProgress,
    });
    // One set of queue workers, grown (or shrunk) to each size in turn: workers join and
    // leave a queue freely, so only the new ones start.
    const points: SweepPoint[] = [];
    const brokerBusy: QueueScaling['brokerBusy'] = [];
    const first = sizes[0] as number;
    const createdAt = now();
    const executor = await QueueExecutor.start(first, resolveWorkload(options.workload), {}, queueOptions);
    let startupMs = now() - createdAt;
    const startedAt = now();
    try {
      for (const workers of sizes as number[]) {
        if (workers !== executor.workers) {
          const resizedAt = now();
          await executor.resize(workers);
          startupMs = now() - resizedAt;
        }
        const { value: runs, workMs } = await brokerWork(broker, async () => {
          await warm(executor, options.inputs, 1);
          const list: Run[] = [];
          for (let r = 0; r < repeats; r++) {
            list.push(await pass(executor, options.inputs, r, repeats, startedAt, options.onProgress));
          }
          return list;
        });
        points.push({ workers, startupMs, runs });
        const jobs = options.inputs.length * repeats + Math.min(options.inputs.length, workers);
        brokerBusy.push({ workers, msPerJob: workMs / jobs });
      }
    } finally {
      await executor.close();
    }
    const queue: Sweep = { ...processes, mode: 'queue', points };
    const one = points.find((p) => p.workers === 1) ?? points[0]!;
    const taskMs = median(one.runs.flatMap((r) => r.tasks.filter((t) => t.ok).map((t) => t.end - t.start)));
    return { processes, queue, brokerBusy, taskMs, env };
  });
}

/** A worker killed mid-job: which, running what, and when (this process's clock). */
export interface Killed {
  pid: number;
  host: string;
  jobId: string;
  index: number;
  at: number;
}

/**
 * Kills (SIGKILL) the local worker of `executor` that took a job most recently, so the job is
 * surely unfinished, and says which; undefined when none is busy at this moment.
 */
export function killBusyWorker(executor: QueueExecutor): Killed | undefined {
  const [busy] = executor
    .processes()
    .filter((w) => w.busy)
    .sort((a, b) => b.busy!.since - a.busy!.since);
  if (!busy) return undefined;
  const killed = { pid: busy.pid, host: busy.host, jobId: busy.busy!.jobId, index: busy.busy!.index, at: now() };
  process.kill(busy.pid, 'SIGKILL');
  return killed;
}

/** What a run with a killed worker shows: nothing lost, nothing counted twice, and what recovery cost. */
export interface Recovery {
  killed: Killed;
  tasks: number;
  completed: number;
  /** Tasks with one record each (no index counted twice). */
  countedOnce: boolean;
  /** Indices of the tasks a worker started more than once. */
  ranTwice: number[];
  /** The killed job: when it first started, when it started again, and when it finished. */
  firstStart?: number;
  restart?: number;
  finished?: number;
  /** From the kill until another worker started the job again (ms). */
  delayMs?: number;
  /** A Run of the tasks (one record each), with the killed attempt as `lost`. */
  run: Run;
  lost?: TaskRecord;
}

/** Reads a run in which `killed` was killed: every task, the one that ran twice, the delay. */
export function recovery(executor: QueueExecutor, results: readonly TaskResult[], killed: Killed): Recovery {
  const tasks = results.map((r) => r.record);
  const indices = tasks.map((t) => t.index);
  const starts = executor.activationTimes(killed.jobId);
  const again = tasks.find((t) => t.index === killed.index);
  const firstStart = starts[0];
  const restart = starts.length > 1 ? starts[starts.length - 1] : again?.started;
  const start = Math.min(...tasks.map((t) => t.enqueued ?? t.start));
  const end = Math.max(...tasks.map((t) => t.finished ?? t.end));
  const lost: TaskRecord | undefined =
    firstStart === undefined
      ? undefined
      : {
          index: killed.index,
          pid: killed.pid,
          threadId: -1,
          host: killed.host,
          start: firstStart,
          end: killed.at,
          ok: false,
          error: 'its worker was killed (SIGKILL) mid-task',
        };
  return {
    killed,
    tasks: tasks.length,
    completed: tasks.filter((t) => t.ok).length,
    countedOnce: new Set(indices).size === indices.length,
    ranTwice: tasks.filter((t) => (t.attempts ?? 1) > 1).map((t) => t.index),
    firstStart,
    restart,
    finished: again?.finished,
    delayMs: restart === undefined ? undefined : restart - killed.at,
    run: {
      mode: 'queue',
      workers: executor.workers,
      cores: cores(),
      repeat: 0,
      start,
      end,
      wallMs: end - start,
      tasks,
      results: results.map((r) => r.value),
    },
    lost,
  };
}

/**
 * The law for workers on many machines, from this run's measurements: the task's work and
 * the broker round trip measured here, the broker's own time per job and its growth with the
 * number of workers, and `networkRttMs` for the network this machine did not have.
 */
export function onPaper(scaling: QueueScaling, trip: RoundTrip, networkRttMs: number): DistributedModel {
  check.finite('networkRttMs', networkRttMs, 0, 60_000);
  // The broker's time per job: measured best with many tiny jobs on one worker; how it grows
  // with the number of workers: from the sweep, where the worker count changed.
  const growth = fitGrowth(scaling.brokerBusy.map((b) => ({ n: b.workers, y: b.msPerJob })));
  return distributedModel({
    taskMs: scaling.taskMs,
    brokerRoundTripMs: median(trip.perTaskMs.queue),
    networkRttMs,
    brokerBusyMs: trip.brokerBusy[0]!.msPerJob,
    brokerBusyPerWorkerMs: growth.perWorker,
  });
}

/** Set for a worker the library starts as a stand-in for another machine: it ends with its parent. */
export const WATCH_PARENT_ENV = 'CLAB_WATCH_PARENT';

const CLI = path.join(__dirname, '..', '..', '..', 'bin', 'concurrency-lab.js');

/** A `concurrency-lab worker` process started from here, standing in for another machine. */
export interface SpawnedWorker {
  /** The command another machine would run (the password hidden). */
  readonly command: string;
  readonly pid: number;
  /** What it printed so far, line by line. */
  output(): string[];
  /** Ctrl-C (it finishes its job and leaves); resolves to everything it printed. */
  stop(): Promise<string[]>;
}

/** Options of `spawnWorker`. */
export interface SpawnWorkerOptions {
  broker: Broker;
  queueName?: string;
  /** What its records call its machine (default 'another-machine'). */
  name?: string;
  /** Pretend its clock is off by this many ms, as an unsynchronised machine's would be (default 0). */
  skewMs?: number;
}

/**
 * Starts `concurrency-lab worker --redis <url> --queue <name>` as a child process, the command
 * a second machine would run, and resolves once it has joined. It is tracked like a pool (an
 * interrupt or the end of the kernel stops it).
 */
export async function spawnWorker(options: SpawnWorkerOptions): Promise<SpawnedWorker> {
  const queueName = checkQueueName(options.queueName ?? QUEUE_DEFAULTS.queueName);
  const name = options.name ?? 'another-machine';
  const skewMs = check.finite('skewMs', options.skewMs ?? 0, -86_400_000, 86_400_000);
  const args = ['worker', '--queue', queueName, '--name', name];
  // The broker's URL goes in REDIS_URL, which the worker reads when --redis is not given: a
  // password in argv would be readable by every user of the machine.
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      ...process.env,
      [REDIS_URL_ENV]: options.broker.url,
      [WATCH_PARENT_ENV]: '1',
      [CLOCK_SKEW_ENV]: String(skewMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const read = (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  };
  child.stdout.setEncoding('utf8').on('data', read);
  child.stderr.setEncoding('utf8').on('data', read);
  const resource = {
    close: async (force: boolean) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(force ? 'SIGKILL' : 'SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  const release = track(resource);
  const joined = await new Promise<boolean>((resolve) => {
    const timer = setInterval(() => {
      if (lines.some((l) => l.includes('joined'))) done(true);
    }, 20);
    const done = (ok: boolean) => {
      clearInterval(timer);
      resolve(ok);
    };
    void exited.then(() => done(false));
  });
  if (!joined) {
    release();
    throw new Error(`the worker did not join: ${lines[lines.length - 1] ?? 'it exited without a word'}`);
  }
  return {
    command: ['npx concurrency-lab worker --redis', redactUrl(options.broker.url), ...args.slice(1)].join(' '),
    pid: child.pid!,
    output: () => [...lines],
    async stop() {
      await resource.close(false);
      release();
      if (partial) lines.push(partial);
      return [...lines];
    },
  };
}
