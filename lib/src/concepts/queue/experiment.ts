/** `concurrency-lab queue`: the CPU tasks on a BullMQ queue beside the process pool, as notebook 07 measures them. */
import { cores } from '../../core/environment';
import { compare } from '../../core/measure';
import type { Mode } from '../../core/records';
import type { Experiment } from '../../core/report';
import { openBroker } from './broker';
import { ParameterError } from '../../core/errors';
import { HostsUnavailableError } from './hosts';
import { startHostWorkers, type HostWorkers } from './hosts-workers';
import { checkQueueOptions, QUEUE_PARAMS, type CheckedQueueOptions } from './params';
import { report } from './report';
import { roundTrip, scaling } from './run';
import type { QueueMeasured } from './summary';

/**
 * The queue's workers on `count` hosts of this machine (network namespaces), or undefined for
 * local workers: with 0, or where hosts cannot be made, which one line on stderr says.
 */
async function onHosts(
  count: number,
  localWorkers: number,
  options: CheckedQueueOptions,
): Promise<HostWorkers | undefined> {
  if (!count) return undefined;
  if (options.redisUrl)
    throw new ParameterError('hosts', '0 with a redisUrl (the hosts start a broker on their own network)', count);
  try {
    const hosts = await startHostWorkers({ count, queueName: options.queueName, stallMs: options.stallMs });
    process.stderr.write(`the queue's ${count} workers run on ${hosts.describe()}\n`);
    return hosts;
  } catch (error) {
    if (!(error instanceof HostsUnavailableError)) throw error;
    process.stderr.write(
      `concurrency-lab: --hosts ${count}: ${error.message}; the queue's ${localWorkers} workers run as local processes instead\n`,
    );
    return undefined;
  }
}

/** The queue experiment: sequential, the process pool and the queue; with --sweep, the round trip and scaling too. */
export const experiment: Experiment<QueueMeasured> = {
  name: 'queue',
  notebook: '07-beyond-one-machine',
  summary: "the course's CPU tasks on a BullMQ queue on Redis beside the process pool, as in notebook 07",
  params: QUEUE_PARAMS,
  cliDefaults: { hosts: 0 },
  compares: true,
  async measure(v, o) {
    const queueOptions = checkQueueOptions({
      redisUrl: (v.redisUrl as string) || undefined,
      queueName: v.queueName,
      stallMs: v.stallMs,
    });
    const local = (v.workers as number) || cores();
    const hosts = await onHosts(v.hosts as number, local, queueOptions);
    const workers = hosts?.workers.length ?? local;
    const modes = (o.modes as Mode[] | undefined) ?? ['sequential', 'processes', 'queue'];
    const broker = await openBroker({ redisUrl: queueOptions.redisUrl });
    try {
      const inputs = Array.from({ length: v.count as number }, () => v.num as number);
      const comparison = await compare({
        workload: 'cpu',
        inputs,
        // On hosts the queue's workers are the hosts' own: one row of them, beside a process pool of as many.
        modes: hosts
          ? modes.map((mode) => (mode === 'queue' ? { mode, workers, options: hosts.modeOptions } : { mode, workers }))
          : modes,
        ...(hosts ? { oneWorker: false } : {}),
        workers,
        repeats: v.repeats as number,
        warmup: o.warmup,
        timeoutMs: o.timeoutMs,
        onProgress: o.onProgress,
        modeOptions: { queue: { ...queueOptions, broker } },
        params: { ...v, redisUrl: v.redisUrl ? '(given)' : '', ...(hosts ? { hosts: hosts.describe() } : {}) },
      });
      if (!o.sweep) return { comparison };
      const trip = await roundTrip({ broker, tasks: v.tinyTasks as number, onProgress: o.onProgress });
      const scaled = await scaling({
        broker,
        workload: 'cpu',
        inputs: Array.from({ length: v.sweepCount as number }, () => v.num as number),
        workers: o.sweep.workers,
        onProgress: o.onProgress,
      });
      return { comparison, trip, scaling: scaled, rttMs: v.rttMs as number };
    } finally {
      await Promise.all([broker.close(), hosts?.close()]);
    }
  },
  report,
};
