/** The queue runs of notebook 07: one you drive yourself (`open`), and two `compare`s, the round trip and scaling. */
import { Redis } from 'ioredis';
import { cores, environment } from '../../core/environment';
import type { ExecutorOptions } from '../../core/executor';
import { compare, runsOf, type Comparison, type Entry } from '../../core/measure';
import * as check from '../../core/validate';
import { resolveWorkload, type WorkloadFn } from '../../core/workload';
import { openBroker } from './broker';
import { QueueExecutor } from './executor';
import { MAX_QUEUE_WORKERS, QUEUE_DEFAULTS, type QueueModeOptions } from './params';
import type { Broker } from './redis';

/**
 * Starts a queue run you drive yourself (workers default to one per core): `run(inputs, onTask)`
 * as often as you like, `processes()` to see (or kill) its workers, `close()` at the end.
 */
export async function open(
  options: QueueModeOptions &
    Pick<ExecutorOptions, 'timeoutMs' | 'memoryLimitMb'> & { workload: string | WorkloadFn; workers?: number },
): Promise<QueueExecutor> {
  const { workload, workers, timeoutMs, memoryLimitMb, ...modeOptions } = options;
  const limits: ExecutorOptions = { memoryLimitMb };
  if (timeoutMs !== undefined) limits.timeoutMs = check.timeout('timeoutMs', timeoutMs);
  const n = workers ?? Math.min(cores(), MAX_QUEUE_WORKERS);
  return QueueExecutor.start(n, resolveWorkload(workload), limits, modeOptions);
}

/** Commands that are the library's own traffic (connecting, asking), not the work of jobs. */
const ADMIN_COMMANDS =
  /^(info|client|hello|select|script|time|ping|config|quit|command|auth|eval_ro|evalsha_ro|xinfo|memory|type)$/;

/** Microseconds the broker's one thread has spent on BullMQ's work so far (INFO commandstats). */
async function brokerWorkUs(client: Redis): Promise<number> {
  const text = await client.info('commandstats');
  const calls = [...text.matchAll(/^cmdstat_([\w|]+):calls=\d+,usec=(\d+)/gm)];
  return calls.filter((m) => !ADMIN_COMMANDS.test(m[1]!)).reduce((us, m) => us + Number(m[2]), 0);
}

/** The broker's time per job in each queue row's runs (ms): `detail.watch` over the tasks of a run. */
export function brokerMsPerJob(c: Comparison, label: string): number[] {
  return runsOf(c, label).map((r) => (r.detail?.watch as number) / r.tasks.length);
}

/** Options of `roundTrip` and `scaling`: the broker, timed runs per row (default 3 for the round trip, 1 for scaling), and compare's. */
type QueueExperimentOptions = Pick<QueueModeOptions, 'broker' | 'redisUrl'> &
  Pick<Parameters<typeof compare>[0], 'repeats' | 'params' | 'onProgress'>;

/**
 * Runs `compare` on the broker given (else one opened for it, and closed after), with a
 * watcher that counts, for every queue row's run, the broker's own time (ms of its one thread).
 */
async function compareOnBroker(
  given: QueueExperimentOptions,
  options: (broker: Broker) => Omit<Parameters<typeof compare>[0], 'watch' | 'onProgress'>,
): Promise<Comparison> {
  const broker = given.broker ?? (await openBroker({ redisUrl: given.redisUrl }));
  const client = new Redis({ ...broker.connection, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  const watch = (row: { mode: string }) => {
    if (row.mode !== 'queue') return undefined;
    const before = brokerWorkUs(client);
    return { stop: async () => ((await brokerWorkUs(client)) - (await before)) / 1000 };
  };
  try {
    return await compare({ ...options(broker), watch, onProgress: given.onProgress });
  } finally {
    client.disconnect();
    if (!given.broker) await broker.close();
  }
}

/**
 * Times a task that does nothing through one worker of each kind (a thread, a process, a queue worker):
 * the time per task is then all overhead, and for the queue the broker's own time per job is counted too.
 */
export async function roundTrip(options: QueueExperimentOptions & { tasks?: number } = {}): Promise<Comparison> {
  const tasks = check.integer('tasks', options.tasks ?? 200, 1, 100_000);
  const repeats = check.integer('repeats', options.repeats ?? 3, 1, 100);
  return compareOnBroker(options, (broker) => ({
    workload: 'spin',
    inputs: Array<number>(tasks).fill(0),
    modes: (['threads', 'processes', 'queue'] as const).map((mode): Entry => ({ mode, workers: 1, label: mode })),
    modeOptions: { queue: { broker, queueName: `${QUEUE_DEFAULTS.queueName}-trip` } },
    repeats,
    oneWorker: false,
    params: { ...options.params, tasks },
  }));
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
  const repeats = check.integer('repeats', options.repeats ?? 1, 1, 100);
  return compareOnBroker(options, (broker) => ({
    workload: options.workload,
    inputs: options.inputs,
    modes: all.flatMap((workers): Entry[] => [
      { mode: 'processes', workers },
      { mode: 'queue', workers, options: { broker, queueName: `${QUEUE_DEFAULTS.queueName}-w${workers}` } },
    ]),
    repeats,
    oneWorker: false,
    params: options.params,
  }));
}
