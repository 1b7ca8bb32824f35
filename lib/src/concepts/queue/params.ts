/** The parameters of 07-beyond-one-machine: default (which fixes the type), range, and meaning. */
import type { ParamSpec } from '../../core/params';

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
  sweepMax: {
    default: 0,
    integer: true,
    min: 0,
    max: 64,
    help: 'most workers in the sweep (0 = twice the cores)',
  },
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
  redisUrl: { default: '', help: 'an existing Redis to use (empty: $REDIS_URL, else a redis-server of our own)' },
  queueName: { default: 'concurrency-lab', help: 'the queue that workers on other machines join' },
} satisfies Record<string, ParamSpec>;
