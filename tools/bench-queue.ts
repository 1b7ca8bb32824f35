/**
 * The `queue` key of `npm run bench`: what BullMQ on Redis costs per task, and the course's
 * CPU experiment on queue workers against a process pool of the same size. Uses a
 * redis-server of our own (or $REDIS_URL), started once for both parts.
 */
import { compare, queue } from 'concurrency-lab';
import { cores, median } from 'concurrency-lab/tooling';
import { rowOf, round } from './bench-rows';

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Per-task cost of a task that does nothing on one worker of each kind (`tiny` tasks,
 * `repeats` runs), and `count` x cpu(`num`) on `workers` queue workers and processes.
 */
export async function benchQueue(tiny = 500, count = 100, num = 30, repeats = 3, workers = cores()) {
  const broker = await queue.openBroker();
  try {
    log(`queue: ${tiny} tasks that do nothing on one thread, one process, one queue worker, ${repeats} repeats ...`);
    const trip = await queue.roundTrip({ tasks: tiny, repeats, broker });
    const perTask = (label: string) => round(rowOf(trip, label)!.ms / tiny, 3)!;
    const brokerMs = median(trip.runs.filter((r) => r.mode === 'queue').map((r) => (r.detail!.watch as number) / tiny));
    log(`queue: ${count} x cpu(${num}) on ${workers} queue workers and ${workers} processes, ${repeats} repeats ...`);
    const cpu = await compare({
      workload: 'cpu',
      inputs: Array(count).fill(num),
      modes: ['processes', 'queue'],
      workers,
      oneWorker: false,
      repeats,
      modeOptions: { queue: { broker } },
    });
    const [p, q] = [rowOf(cpu, `processes (${workers})`)!, rowOf(cpu, `queue (${workers})`)!];
    return {
      redis: broker.version,
      perTaskMs: perTask('queue'),
      processesPerTaskMs: perTask('processes'),
      threadsPerTaskMs: perTask('threads'),
      overheadVsProcessesMs: round(perTask('queue') - perTask('processes'), 3),
      brokerMsPerJob: round(brokerMs, 3),
      cpu: {
        tasks: count,
        num,
        workers,
        processesMs: round(p.ms),
        queueMs: round(q.ms),
        // Throughput of the queue over the process pool's (same tasks, same worker count).
        throughputVsProcesses: round(p.ms / q.ms, 3),
        processesStartupMs: round(p.startupMs),
        queueStartupMs: round(q.startupMs),
      },
    };
  } finally {
    await broker.close();
  }
}
