/** The parameters of 07-beyond-one-machine: default (which fixes the type), range, and meaning. */
import { ParameterError } from '../../core/errors';
import type { ParamSpec } from '../../core/params';
import * as check from '../../core/validate';
import { parseRedisUrl, type Broker } from './redis';

export const QUEUE_PARAMS = {
  count: { default: 20, integer: true, min: 1, max: 10_000, help: 'tasks of cpu(num) in the comparison' },
  num: { default: 30, integer: true, min: 2, max: 200, help: "each task is cpu(num), the course's triple loop" },
  workers: {
    default: 0,
    integer: true,
    min: 0,
    max: 64,
    help: 'queue workers and pool size of the process pool (0 = one per core)',
  },
  repeats: { default: 2, integer: true, min: 1, max: 100, help: 'timed runs per mode' },
  tinyTasks: {
    default: 200,
    integer: true,
    min: 1,
    max: 100_000,
    help: 'tasks that do nothing, to time the round trip of one task',
  },
  sweepCount: { default: 12, integer: true, min: 1, max: 10_000, help: 'tasks per run of the worker-count sweep' },
  sweepMax: { default: 0, integer: true, min: 0, max: 64, help: 'most workers in the sweep (0 = twice the cores)' },
  rttMs: {
    default: 0.5,
    min: 0,
    max: 1000,
    help: 'on paper: a network round trip between a worker and the broker (ms); 0.5 is a LAN',
  },
  crashTasks: { default: 10, integer: true, min: 2, max: 10_000, help: 'tasks of the run in which a worker is killed' },
  stallMs: {
    default: 1500,
    integer: true,
    min: 200,
    max: 600_000,
    help: "how long a job may go without its worker's heartbeat before another worker gets it (ms)",
  },
  redisUrl: {
    default: '',
    // Checked with the other parameters, before anything starts.
    check: (name, value) => void (value === '' || parseRedisUrl(name, value)),
    help: 'an existing Redis to use (empty: $REDIS_URL, else a redis-server of our own)',
  },
  hosts: {
    default: 3,
    integer: true,
    min: 0,
    max: 64,
    help: 'hosts of this machine (network namespaces, as root on Linux) for the workers on other machines; 0: one local stand-in',
  },
  cutTasks: {
    default: 40,
    integer: true,
    min: 2,
    max: 10_000,
    help: "tasks of the run in which one host's link is cut mid-job (on hosts only)",
  },
  queueName: {
    default: 'concurrency-lab',
    check: (name, value) => void checkQueueName(value, name),
    help: 'the queue that workers on other machines join',
  },
} satisfies Record<string, ParamSpec>;

/**
 * Defaults of the queue mode: the queue's name (a worker joining from another machine names the same), how long a
 * job may go without its worker's heartbeat before it is handed on, and how long a run waits for a lost broker.
 */
export const QUEUE_DEFAULTS = { queueName: 'concurrency-lab', stallMs: 4000, brokerTimeoutMs: 5000 } as const;

/** Most local worker processes a queue run starts (each is a Node process of ~50 MB). */
export const MAX_QUEUE_WORKERS = 64;

/** Checks a queue name: what Redis keys hold safely, and what BullMQ accepts (no ':'). */
export function checkQueueName(value: unknown, name = 'queueName'): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value)) {
    throw new ParameterError(
      name,
      "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit (no ':', spaces or braces)",
      value,
    );
  }
  return value;
}

/** Options of the queue mode: `compare({ modes: ['queue'], modeOptions: { queue: { ... } } })`. */
export interface QueueModeOptions {
  /** An existing Redis (default: $REDIS_URL, else a redis-server of our own, started for the run). */
  redisUrl?: string;
  /** A broker already open (`queue.openBroker()`), used and left open. */
  broker?: Broker;
  /** The queue's name: letters, digits, '.', '_', '-' (default 'concurrency-lab'); local workers use `<name>-<run>`. */
  queueName?: string;
  /** Milliseconds a job may go without its worker's heartbeat before another worker gets it (default 4000). */
  stallMs?: number;
  /** false: start no local worker processes, the run's workers have joined `queueName` from elsewhere (default true). */
  localWorkers?: boolean;
}

export type CheckedQueueOptions = ReturnType<typeof checkQueueOptions>;

/** Checks the queue mode's options up front; one line names what is wrong. */
export function checkQueueOptions(value: unknown) {
  const options = (value ?? {}) as QueueModeOptions;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ParameterError('modeOptions.queue', 'an object like { redisUrl, queueName, stallMs }', value);
  }
  const known = ['redisUrl', 'broker', 'queueName', 'stallMs', 'localWorkers'];
  const other = Object.keys(options).find((key) => !known.includes(key));
  if (other !== undefined) throw new ParameterError('modeOptions.queue', `options from ${known.join(', ')}`, other);
  if (![undefined, true, false].includes(options.localWorkers)) {
    throw new ParameterError('localWorkers', 'true or false', options.localWorkers);
  }
  return {
    localWorkers: options.localWorkers ?? true,
    queueName: checkQueueName(options.queueName ?? QUEUE_DEFAULTS.queueName),
    stallMs: check.integer('stallMs', options.stallMs ?? QUEUE_DEFAULTS.stallMs, 200, 600_000),
    redisUrl: options.redisUrl ? parseRedisUrl('redisUrl', options.redisUrl) : undefined,
    broker: options.broker,
  };
}
