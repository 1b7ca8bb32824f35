/**
 * A queue worker: one BullMQ `Worker`, concurrency 1. The same code is every worker of a run:
 * the local ones (this file as a child process) and those that join from other machines with
 * `npx concurrency-lab worker --redis redis://host:port`.
 *
 * Each task runs on a worker thread, not on the event loop: BullMQ keeps a job by renewing its
 * lock from the event loop, and CPU work there would starve the renewals until the broker took
 * the job for stalled (BullMQ's advice for CPU-heavy jobs is the same: a sandboxed processor).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, type Job } from 'bullmq';
import workerpool from 'workerpool';
import { messageOf } from '../../core/errors';
import { poolThreadOptions } from '../../core/pool';
import { explainWorkerError } from '../../core/worker-faults';
import type { TaskRecord, TaskResult } from '../../core/records';
import { failed } from '../../core/task';
import { watchParent } from '../../core/watchdog';
import { resolveWorkload, workloadNames, type ResolvedWorkload } from '../../core/workload';
import { brokerOffset, localNow, skewMs } from './clock';
import { RECONNECT, watchBroker, type BrokerEvent } from './heartbeat';
import { connectionOf, probe, redactUrl } from './redis';

const POOL_WORKER = path.join(__dirname, '..', '..', 'core', 'pool-worker.js');

/** When a worker took a job (the broker's clock), and how many times it was started (2 once handed on). */
export type JobTimes = { started: number; attempts: number };

/** What a worker returns for a job: the value, the task's record and the job's times (on the broker's clock). */
export type JobReturn = { value: unknown; record: TaskRecord; job: JobTimes };

/**
 * What a job carries: its run, the workload (by name, and `remote`: how the enqueuing process
 * would run it), one input, its index, limits; and, set by a worker when the task failed, its
 * record and times, for the enqueuing process to read.
 */
export interface JobData extends Partial<Omit<JobReturn, 'value'>> {
  run: string;
  name: string;
  remote: ResolvedWorkload['remote'];
  input: unknown;
  index: number;
  timeoutMs?: number;
  memoryLimitMb?: number;
}

/** What a worker says while it works (to its parent, or printed by the command line). */
export type WorkerEvent =
  | { type: 'active'; jobId: string; index: number; name: string; run: string }
  | { type: 'done'; jobId: string; index: number; name: string; run: string; ms: number; ok: boolean; error?: string };

/**
 * Options of `startQueueWorker`: what records call this machine (default its host name), how
 * long a job may go without the worker's heartbeat before the broker hands it on (ms), and who
 * hears the worker's events and, if given, the broker watch's (heartbeat.ts).
 */
interface QueueWorkerOptions {
  redisUrl: string;
  queueName: string;
  host?: string;
  stallMs: number;
  onEvent?: (event: WorkerEvent) => void;
  onBroker?: (event: BrokerEvent) => void;
}

const present = new Map<string, boolean>();

/**
 * The workload a job names, as this machine runs it: the module it was sent as when this
 * machine has that file (the same checkout), else this machine's own copy of a registered
 * workload of that name (the library's workloads are loaded only then), else as sent.
 */
function localWorkload(data: JobData): ResolvedWorkload['remote'] {
  const [method, file] = data.remote;
  if (method === 'runSource') return data.remote;
  if (!present.has(file)) present.set(file, fs.existsSync(file));
  if (present.get(file)) return data.remote;
  require('../../workloads');
  return workloadNames().includes(data.name) ? resolveWorkload(data.name).remote : data.remote;
}

/** Starts a worker on `queueName`: measures its clock against the broker, starts its task thread, joins the queue. */
export async function startQueueWorker(options: QueueWorkerOptions) {
  const host = options.host ?? os.hostname();
  const connection = connectionOf(options.redisUrl);
  const clock = await probe(connection, `the broker at ${redactUrl(options.redisUrl)}`, brokerOffset);
  const toBroker = (t: number) => t + skewMs() + clock.offsetMs;
  // One thread per heap limit a job asks for.
  const pools = new Map<number, workerpool.Pool>();
  const poolFor = (memoryLimitMb = 0) => {
    let pool = pools.get(memoryLimitMb);
    if (!pool) {
      const options = { workerThreadOpts: poolThreadOptions(memoryLimitMb), workerTerminateTimeout: 1000 };
      pool = workerpool.pool(POOL_WORKER, { workerType: 'thread', maxWorkers: 1, minWorkers: 1, ...options });
      pools.set(memoryLimitMb, pool);
    }
    return pool;
  };
  poolFor(); // the usual thread starts now, not with the first job
  const processor = async (job: Job<JobData, JobReturn>): Promise<JobReturn> => {
    const data = job.data;
    const takenAt = localNow();
    const base = { jobId: job.id!, index: data.index, name: data.name, run: data.run };
    options.onEvent?.({ type: 'active', ...base });
    let result: TaskResult;
    const [method, ...args] = localWorkload(data);
    try {
      const pending = poolFor(data.memoryLimitMb).exec(method, [...args, data.input, data.index]);
      result = (await (data.timeoutMs ? pending.timeout(data.timeoutMs) : pending)) as TaskResult;
    } catch (error) {
      // The thread failed or was stopped (timeout, exit, memory): workerpool replaces it.
      const message = explainWorkerError(error, 'worker thread', data);
      result = failed(data.index, takenAt - skewMs(), message, { pid: process.pid, threadId: -1 });
    }
    const r = result.record;
    const record: TaskRecord = { ...r, host, start: toBroker(r.start), end: toBroker(r.end) };
    const times: JobTimes = { started: takenAt + clock.offsetMs, attempts: job.attemptsStarted || 1 };
    options.onEvent?.({ type: 'done', ...base, ms: r.end - r.start, ok: r.ok, ...(r.ok ? {} : { error: r.error }) });
    if (!r.ok) {
      // A failed job in BullMQ's sense, so its failed set and events say so; its record
      // travels in the job's data, where the enqueuing process reads it.
      await job.updateData({ ...data, record, job: times });
      throw new Error(r.error ?? 'failed');
    }
    return { value: result.value, record, job: times };
  };
  const worker = new Worker<JobData, JobReturn>(options.queueName, processor, {
    connection: options.onBroker ? { ...connection, ...RECONNECT } : connection,
    concurrency: 1,
    name: `${host}:${process.pid}`,
    lockDuration: options.stallMs,
    stalledInterval: Math.max(100, Math.round(options.stallMs / 2)),
    maxStalledCount: 1,
    // Long-poll the queue for at most a second: a stop is noticed that soon.
    drainDelay: 1,
  });
  worker.on('error', () => {}); // connection trouble: BullMQ reconnects; the enqueuing side decides when to give up
  await worker.waitUntilReady();
  const unwatch = options.onBroker ? watchBroker(worker, options.onBroker) : () => {};
  let closing: Promise<void> | undefined;
  return {
    host,
    pid: process.pid,
    /** Broker clock = this process's clock + offsetMs. */
    clock,
    /** Stops taking jobs; waits for the current one unless `force`. */
    close(force = false): Promise<void> {
      unwatch();
      const terminate = () => Promise.all([...pools.values()].map((p) => p.terminate(true)));
      return (closing ??= worker.close(force).finally(terminate));
    },
  };
}

/** The environment variable that carries a local worker's options (JSON): not argv, which any user can read. */
export const CHILD_OPTIONS_ENV = 'CLAB_QUEUE_WORKER';

/** The options a local worker process is started with (JSON in CLAB_QUEUE_WORKER). */
export type ChildOptions = Omit<QueueWorkerOptions, 'onEvent' | 'onBroker'>;

/** A local worker process: started by the queue mode, talks to it over IPC, ends with it. */
async function child(): Promise<void> {
  // End with the process that started us, even in the middle of a task (a kernel restart).
  watchParent();
  // Interrupts (Jupyter's go to the kernel's whole process group) are for our parent: it stops us.
  process.on('SIGINT', () => {});
  const options = JSON.parse(process.env[CHILD_OPTIONS_ENV] ?? '{}') as ChildOptions;
  delete process.env[CHILD_OPTIONS_ENV]; // the task thread need not see the broker's password
  const send = (message: unknown) => process.connected && process.send!(message);
  let running: Awaited<ReturnType<typeof startQueueWorker>> | undefined;
  process.on('message', (message) => {
    if (message !== 'stop' && message !== 'kill') return;
    void (running?.close(message === 'kill') ?? Promise.resolve()).finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  try {
    running = await startQueueWorker({ ...options, onEvent: send });
    send({ type: 'ready', pid: process.pid, host: running.host, ...running.clock });
  } catch (error) {
    send({ type: 'failed', message: messageOf(error) });
    process.exit(1);
  }
}

if (require.main === module) void child();
