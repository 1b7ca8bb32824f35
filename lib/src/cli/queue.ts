/**
 * `concurrency-lab queue`: the course's CPU tasks on a BullMQ queue on Redis, beside the
 * process pool, as in notebook 07-beyond-one-machine. Our own redis-server is started for
 * the run (or --redis-url / $REDIS_URL is used); workers on other machines can join with
 * `concurrency-lab worker --redis <url> --queue <name>`.
 */
import { Option } from 'commander';
import { NOTEBOOK_PARAMS } from '../catalog';
import { parseRedisUrl } from '../concepts/queue/broker';
import { checkQueueName, MAX_QUEUE_WORKERS, QUEUE_DEFAULTS } from '../concepts/queue/executor';
import { environment } from '../core/environment';
import { messageOf, ParameterError } from '../core/errors';
import type { Experiment } from './experiment';
import { specOption, specParser } from './flags';
import { UsageError } from './usage';

const SPEC = NOTEBOOK_PARAMS['07-beyond-one-machine'];

/** The queue experiment; defaults are the notebook's. */
export const queueExperiment: Experiment = {
  name: 'queue',
  summary: "the course's CPU tasks on a BullMQ queue on Redis beside the process pool, as in notebook 07",
  workers: environment().cores,
  workersText: `one per core, ${environment().cores} here`,
  modes: ['sequential', 'processes', 'queue'],
  addFlags(command) {
    command
      .addOption(specOption('--count <n>', SPEC.count))
      .addOption(specOption('--num <n>', SPEC.num))
      .addOption(
        new Option('--redis-url <url>', 'an existing Redis to use, e.g. redis://10.0.0.5:6379').default(
          '',
          '$REDIS_URL, else a redis-server of our own on 127.0.0.1',
        ),
      )
      .addOption(
        new Option('--queue-name <name>', 'the queue workers on other machines join').default(QUEUE_DEFAULTS.queueName),
      )
      .addOption(
        new Option('--stall-ms <ms>', SPEC.stallMs.help)
          .default(QUEUE_DEFAULTS.stallMs)
          .argParser(specParser('--stall-ms', { ...SPEC.stallMs, default: QUEUE_DEFAULTS.stallMs })),
      );
  },
  async prepare(flags) {
    const count = flags.count as number;
    const num = flags.num as number;
    const redisUrl = (flags.redisUrl as string) || undefined;
    const queueName = flags.queueName as string;
    try {
      if (redisUrl) parseRedisUrl('--redis-url', redisUrl);
      checkQueueName(queueName, '--queue-name');
      const modes = flags.modes as string[];
      if ((modes.includes('queue') || flags.sweepMode === 'queue') && flags.workers > MAX_QUEUE_WORKERS) {
        throw new ParameterError(
          '--workers',
          `an integer from 1 to ${MAX_QUEUE_WORKERS} in the queue mode`,
          flags.workers,
        );
      }
    } catch (error) {
      throw new UsageError(messageOf(error));
    }
    return {
      name: 'queue',
      title: `queue: ${count} tasks of cpu(${num}) through a BullMQ queue on Redis`,
      workload: 'cpu',
      inputs: Array.from({ length: count }, () => num),
      params: { count, num, queueName, stallMs: flags.stallMs, ...(redisUrl ? { redisUrl: '(given)' } : {}) },
      modeOptions: { queue: { redisUrl, queueName, stallMs: flags.stallMs } },
    };
  },
};
