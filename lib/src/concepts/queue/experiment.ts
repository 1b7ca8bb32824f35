/** `concurrency-lab queue`: the CPU tasks on a BullMQ queue beside the process pool, as notebook 07 measures them. */
import { cores } from '../../core/environment';
import { compare } from '../../core/measure';
import type { Mode } from '../../core/records';
import type { Experiment } from '../../core/report';
import { openBroker } from './broker';
import { ParameterError } from '../../core/errors';
import { HostsUnavailableError } from './hosts';
import { partition, startHostWorkers } from './hosts-workers';
import { checkQueueOptions, QUEUE_PARAMS, type CheckedQueueOptions } from './params';
import { killBusyWorker, recovery, type Killed } from './recovery';
import type { Broker } from './redis';
import { report } from './report';
import { open, roundTrip, scaling } from './run';
import type { QueueMeasured } from './summary';

/** The queue's workers on `count` hosts of this machine; undefined (local workers) with 0, or where hosts cannot be made. */
async function onHosts(count: number, localWorkers: number, options: CheckedQueueOptions) {
  if (!count) return undefined;
  if (options.redisUrl) {
    throw new ParameterError('hosts', '0 with a redisUrl (the hosts start a broker on their own network)', count);
  }
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

/** Notebook 07's kill: `tasks` of cpu(num) on local workers, the one that took a job last killed mid-task. */
async function crash(broker: Broker, workers: number, stallMs: number, tasks: number, num: number) {
  const executor = await open({ workload: 'cpu', workers, broker, stallMs });
  let killed: Killed | undefined;
  const run = executor.run(Array(tasks).fill(num), () => void (killed ??= killBusyWorker(executor)));
  const batch = await run.finally(() => executor.close());
  return killed && recovery(executor, batch, killed);
}

/**
 * The queue experiment: sequential, the process pool and the queue; with --sweep, the round trip and
 * scaling too; then, as 07, a worker killed mid-task and, on hosts, a host's link cut mid-task.
 */
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
      const more = o.sweep && {
        trip: await roundTrip({ broker, tasks: v.tinyTasks as number, onProgress: o.onProgress }),
        scaling: await scaling({
          broker,
          workload: 'cpu',
          inputs: Array.from({ length: v.sweepCount as number }, () => v.num as number),
          workers: o.sweep.workers,
          onProgress: o.onProgress,
        }),
        rttMs: v.rttMs as number,
      };
      // As 07 does: a worker killed mid-task, and on hosts a host's link cut mid-task.
      if (!modes.includes('queue')) return { comparison, ...more };
      const killed = await crash(broker, local, v.stallMs as number, v.crashTasks as number, v.num as number);
      const cut =
        hosts && (await partition(hosts, { workload: 'cpu', inputs: Array(v.cutTasks as number).fill(v.num) }));
      return { comparison, ...more, recovery: killed, cut: cut?.recovery };
    } finally {
      await Promise.all([broker.close(), hosts?.close()]);
    }
  },
  report,
};
