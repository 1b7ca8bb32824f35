/** `concurrency-lab queue`: the CPU tasks on a BullMQ queue beside the process pool, as notebook 07 measures them. */
import { cores } from '../../core/environment';
import { compare } from '../../core/measure';
import type { Mode } from '../../core/records';
import type { Experiment } from '../../core/report';
import { openBroker } from './broker';
import { checkQueueOptions, QUEUE_PARAMS } from './params';
import { report } from './report';
import { roundTrip, scaling } from './run';
import type { QueueMeasured } from './summary';

/** The queue experiment: sequential, the process pool and the queue; with --sweep, the round trip and scaling too. */
export const experiment: Experiment<QueueMeasured> = {
  name: 'queue',
  notebook: '07-beyond-one-machine',
  summary: "the course's CPU tasks on a BullMQ queue on Redis beside the process pool, as in notebook 07",
  params: QUEUE_PARAMS,
  compares: true,
  async measure(v, o) {
    const workers = (v.workers as number) || cores();
    const queueOptions = checkQueueOptions({
      redisUrl: (v.redisUrl as string) || undefined,
      queueName: v.queueName,
      stallMs: v.stallMs,
    });
    const broker = await openBroker({ redisUrl: queueOptions.redisUrl });
    try {
      const inputs = Array.from({ length: v.count as number }, () => v.num as number);
      const comparison = await compare({
        workload: 'cpu',
        inputs,
        modes: (o.modes as Mode[] | undefined) ?? ['sequential', 'processes', 'queue'],
        workers,
        repeats: v.repeats as number,
        warmup: o.warmup,
        timeoutMs: o.timeoutMs,
        onProgress: o.onProgress,
        modeOptions: { queue: { ...queueOptions, broker } },
        params: { ...v, redisUrl: v.redisUrl ? '(given)' : '' },
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
      await broker.close();
    }
  },
  report,
};
