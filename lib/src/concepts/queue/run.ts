/**
 * The queue experiments of notebook 07, each one `compare`: the round trip of a task that
 * does nothing through one worker of each kind, and the same CPU tasks on 1..2x cores queue
 * workers and process pools. The broker's own time per job is watched during each queue run.
 */
import { Redis } from 'ioredis';
import { cores, environment } from '../../core/environment';
import { compare, runsOf, type Comparison, type Entry } from '../../core/measure';
import type { Progress } from '../../core/rounds';
import * as check from '../../core/validate';
import { resolveWorkload, type WorkloadFn } from '../../core/workload';
import { openBroker, type Broker } from './broker';
import { QueueExecutor } from './executor';
import { MAX_QUEUE_WORKERS, QUEUE_DEFAULTS, type QueueModeOptions } from './params';

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
  const limits = {
    ...(timeoutMs === undefined ? {} : { timeoutMs: check.timeout('timeoutMs', timeoutMs) }),
    ...(memoryLimitMb === undefined ? {} : { memoryLimitMb }),
  };
  return QueueExecutor.start(n, resolveWorkload(workload), limits, modeOptions);
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

/**
 * A watcher for `compare` that counts, for every queue row's run, the broker's own time (ms of
 * its one thread); other rows are not watched. Returns the watcher and a close for its client.
 */
async function brokerWatch(broker: Broker) {
  const client = new Redis({ ...broker.connection, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  const watch = (row: { mode: string }) => {
    if (row.mode !== 'queue') return undefined;
    const before = brokerWorkUs(client);
    return { stop: async () => ((await brokerWorkUs(client)) - (await before)) / 1000 };
  };
  return { watch, close: () => client.disconnect() };
}

/** The broker's time per job in each queue row's runs (ms): `detail.watch` over the tasks of a run. */
export function brokerMsPerJob(c: Comparison, label: string): number[] {
  return runsOf(c, label).map((r) => (r.detail?.watch as number) / r.tasks.length);
}

/** Options of `roundTrip` and `scaling`. */
export interface QueueExperimentOptions extends Pick<QueueModeOptions, 'broker' | 'redisUrl'> {
  /** Timed runs per row (default 3 for the round trip, 1 for scaling). */
  repeats?: number;
  params?: Record<string, unknown>;
  onProgress?: (progress: Progress) => void;
}

/**
 * Times a task that does nothing through one worker of each kind (a thread, a process, a
 * queue worker): the time per task is then all overhead, and for the queue the broker's own
 * time per job is counted too.
 */
export async function roundTrip(options: QueueExperimentOptions & { tasks?: number } = {}): Promise<Comparison> {
  const tasks = check.integer('tasks', options.tasks ?? 200, 1, 100_000);
  return withBroker(options, async (broker) => {
    const { watch, close } = await brokerWatch(broker);
    try {
      return await compare({
        workload: 'spin',
        inputs: Array<number>(tasks).fill(0),
        modes: (['threads', 'processes', 'queue'] as const).map((mode): Entry => ({ mode, workers: 1, label: mode })),
        modeOptions: { queue: { broker, queueName: `${QUEUE_DEFAULTS.queueName}-trip` } },
        repeats: check.integer('repeats', options.repeats ?? 3, 1, 100),
        oneWorker: false,
        watch,
        onProgress: options.onProgress,
        params: { ...options.params, tasks },
      });
    } finally {
      close();
    }
  });
}

/**
 * The same tasks on process pools and on queue workers of each size, in turns (each size of
 * the queue on a queue of its own, so no size's idle workers take another's jobs), each read
 * against its one-worker row, with the broker's time per job at each queue size.
 */
export async function scaling(
  options: QueueExperimentOptions & {
    workload: string | WorkloadFn;
    inputs: readonly unknown[];
    workers?: readonly number[];
  },
): Promise<Comparison> {
  const sizes = check.nonEmptyList<unknown>(
    'workers',
    options.workers ?? Array.from({ length: 2 * environment().cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, MAX_QUEUE_WORKERS));
  const all = [...new Set([1, ...(sizes as number[])])].sort((a, b) => a - b);
  return withBroker(options, async (broker) => {
    const { watch, close } = await brokerWatch(broker);
    try {
      return await compare({
        workload: options.workload,
        inputs: options.inputs,
        modes: all.flatMap((workers): Entry[] => [
          { mode: 'processes', workers },
          { mode: 'queue', workers, options: { broker, queueName: `${QUEUE_DEFAULTS.queueName}-w${workers}` } },
        ]),
        repeats: check.integer('repeats', options.repeats ?? 1, 1, 100),
        oneWorker: false,
        watch,
        onProgress: options.onProgress,
        params: options.params,
      });
    } finally {
      close();
    }
  });
}
