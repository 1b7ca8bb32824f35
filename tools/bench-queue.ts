/**
 * The `queue` key of `npm run bench`: what BullMQ on Redis costs per task, and the course's
 * CPU experiment on queue workers against a process pool of the same size. Uses a
 * redis-server of our own (or $REDIS_URL), started once for both parts.
 */
import { compare, queue, summarizeModes } from 'concurrency-lab';
import { cores, median } from 'concurrency-lab/tooling';

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (v: number, digits = 2) => Number(v.toFixed(digits));

/**
 * Per-task cost of a task that does nothing on one worker of each kind (`tiny` tasks,
 * `repeats` runs), and `count` x cpu(`num`) on `workers` queue workers and processes.
 */
export async function benchQueue(tiny = 500, count = 100, num = 30, repeats = 3, workers = cores()) {
  const broker = await queue.openBroker();
  try {
    log(`queue: ${tiny} tasks that do nothing on one thread, one process, one queue worker, ${repeats} repeats ...`);
    const trip = await queue.roundTrip({ tasks: tiny, repeats, broker });
    const perTask = (mode: 'threads' | 'processes' | 'queue') => round(median(trip.perTaskMs[mode]), 3);
    log(`queue: ${count} x cpu(${num}) on ${workers} queue workers and ${workers} processes, ${repeats} repeats ...`);
    const cpu = await compare({
      workload: 'cpu',
      inputs: Array(count).fill(num),
      modes: ['processes', 'queue'],
      workers,
      repeats,
      modeOptions: { queue: { broker } },
    });
    const m = Object.fromEntries(summarizeModes(cpu).map((s) => [s.mode, s]));
    const processesMs = m.processes!.wall.median;
    const queueMs = m.queue!.wall.median;
    return {
      redis: broker.version,
      perTaskMs: perTask('queue'),
      processesPerTaskMs: perTask('processes'),
      threadsPerTaskMs: perTask('threads'),
      overheadVsProcessesMs: round(perTask('queue') - perTask('processes'), 3),
      brokerMsPerJob: round(trip.brokerBusy[0]!.msPerJob, 3),
      cpu: {
        tasks: count,
        num,
        workers,
        processesMs: round(processesMs, 1),
        queueMs: round(queueMs, 1),
        // Throughput of the queue over the process pool's (same tasks, same worker count).
        throughputVsProcesses: round(processesMs / queueMs, 3),
        processesStartupMs: round(m.processes!.startupMs, 1),
        queueStartupMs: round(m.queue!.startupMs, 1),
      },
    };
  } finally {
    await broker.close();
  }
}
