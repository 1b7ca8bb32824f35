/**
 * The `queue` mode: every input a BullMQ job on a Redis broker, taken by the row's own worker processes (workers.ts),
 * or with `localWorkers: false` by those that joined the named queue elsewhere; jobs.ts keeps the books of the jobs.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { now } from '../../core/clock';
import { InterruptedError, ParameterError } from '../../core/errors';
import type { Batch, Executor, ExecutorOptions } from '../../core/executor';
import { registerMode } from '../../core/modes';
import { onInterrupt, track } from '../../core/teardown';
import type { ResolvedWorkload } from '../../core/workload';
import { openBroker } from './broker';
import { brokerNow, brokerOffset, skewMs, type ClockOffset } from './clock';
import { Jobs } from './jobs';
import { checkQueueOptions, MAX_QUEUE_WORKERS, QUEUE_DEFAULTS, type CheckedQueueOptions } from './params';
import type { JobData, JobReturn } from './queue-worker';
import { redactUrl, type Broker } from './redis';
import { WorkerSupervisor } from './workers';

declare module '../../core/records' {
  interface RegisteredModes {
    queue: true;
  }
}

let runCounter = 0;

export class QueueExecutor implements Executor {
  readonly mode = 'queue' as const;
  startupMs = 0;
  broker!: Broker;
  private queue?: Queue<JobData, JobReturn>;
  private events?: QueueEvents;
  private monitor?: Redis;
  private clock: ClockOffset = { offsetMs: 0, rttMs: 0 };
  private supervisor?: WorkerSupervisor;
  private jobs?: Jobs;
  private readonly runId = `r${process.pid.toString(36)}${(++runCounter).toString(36)}${Date.now().toString(36)}`;
  private passes = 0;
  private failure?: Error;
  private closed?: Promise<void>;
  private release = () => {};
  private unsubscribe = () => {};
  private brokerTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  private constructor(
    readonly workers: number,
    private readonly workload: ResolvedWorkload,
    private readonly limits: ExecutorOptions,
    private readonly options: CheckedQueueOptions,
  ) {}

  /** Starts (or connects to) the broker and `workers` local worker processes; resolves once all are ready. */
  static async start(workers: number, workload: ResolvedWorkload, limits: ExecutorOptions, modeOptions?: unknown) {
    const options = checkQueueOptions(modeOptions);
    if (!Number.isInteger(workers) || workers < 1 || workers > MAX_QUEUE_WORKERS) {
      throw new ParameterError('workers', `an integer from 1 to ${MAX_QUEUE_WORKERS} in the queue mode`, workers);
    }
    const executor = new QueueExecutor(workers, workload, limits, options);
    try {
      await executor.open();
      return executor;
    } catch (error) {
      await executor.close(true);
      // Interrupted while starting: say so, not what the interrupt broke on its way.
      throw executor.failure instanceof InterruptedError ? executor.failure : error;
    }
  }

  private async open(): Promise<void> {
    const createdAt = now();
    this.release = track(this);
    const offInterrupt = onInterrupt((reason) => this.fail(new InterruptedError(reason)));
    this.broker = this.options.broker ?? (await openBroker({ redisUrl: this.options.redisUrl }));
    const offExit = this.broker.onExit((reason) => this.fail(new Error(`the broker stopped mid-run: ${reason}`)));
    this.unsubscribe = () => (offInterrupt(), offExit());
    const connection = this.broker.connection;
    // Its commands are bounded: a broker that stops answering (not only one that closes) is seen.
    this.monitor = new Redis({ ...connection, commandTimeout: 2000, retryStrategy: (n) => Math.min(50 * n, 500) });
    this.monitor.on('error', () => {}); // seen through 'close' below
    this.monitor.on('close', this.brokerLost);
    this.monitor.on('ready', this.brokerBack);
    this.clock = await brokerOffset(this.monitor);
    const ping = () => this.monitor!.ping().then(this.brokerBack, this.brokerLost);
    this.heartbeat = setInterval(() => void ping(), 1000).unref();
    // Read the event stream from now on (XREAD from "$" could start after the first events).
    const since = await brokerNow(this.monitor);
    // Rows are open at once and take turns: on one queue, a row's idle workers would take another's jobs.
    const name = this.options.localWorkers ? `${this.options.queueName}-${this.runId}` : this.options.queueName;
    this.queue = new Queue<JobData, JobReturn>(name, { connection, streams: { events: { maxLen: 100_000 } } });
    this.queue.on('error', () => {}); // the monitor sees the broker go
    // A short block: a closed run's pending read (and BullMQ's watchdog on it) ends within 2 s.
    this.events = new QueueEvents(name, { connection, lastEventId: `${Math.floor(since)}-0`, blockingTimeout: 1000 });
    this.events.on('error', () => {});
    const { timeoutMs, memoryLimitMb } = this.limits;
    const base = { run: this.runId, name: this.workload.name, remote: this.workload.remote, timeoutMs, memoryLimitMb };
    this.jobs = new Jobs(this.queue, this.events, base, this.workers, this.local, (id) => this.supervisor?.free(id));
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
    if (this.options.localWorkers) {
      const options = { redisUrl: this.broker.url, queueName: name, stallMs: this.options.stallMs };
      this.supervisor = new WorkerSupervisor(options, (e) => this.fail(e));
      await this.supervisor.start(this.workers);
    } else if ((await this.queue.getWorkersCount()) === 0) {
      throw new Error(`localWorkers is false, and no worker has joined queue "${name}" on ${this.broker.describe()}`);
    }
    this.startupMs = now() - createdAt;
  }

  /** The local worker processes now (pid, host, clock, and the job each is running). */
  processes() {
    return this.supervisor?.processes() ?? [];
  }

  /** Whether job `jobId` of the pass under way is still running: not completed or failed, as the broker tells. */
  running(jobId: string): boolean {
    return this.jobs?.isPending(jobId) ?? false;
  }

  /** The job worker `pid` started last (read after a run, it counts every message the worker sent). */
  lastJob(pid: number): { jobId: string; index: number } | undefined {
    return this.supervisor?.lastJobs.get(pid);
  }

  /** When a job of the last pass was started by a worker, each time (this process's clock). */
  activationTimes(jobId: string): number[] {
    return (this.jobs?.activationsOf(jobId) ?? []).map((t) => this.local(t));
  }

  /** A broker time (ms) on this process's clock. */
  private readonly local = (brokerMs: number) => brokerMs - this.clock.offsetMs - skewMs();

  private readonly brokerBack = () => {
    clearTimeout(this.brokerTimer);
    this.brokerTimer = undefined;
  };

  /** The broker's connection closed or stopped answering: give it the run's timeout to come back, then fail the run. */
  private readonly brokerLost = () => {
    if (this.closed || this.failure || this.brokerTimer) return;
    const waitMs = Math.round(this.limits.timeoutMs ?? QUEUE_DEFAULTS.brokerTimeoutMs);
    const error = `the broker stopped answering: Redis at ${redactUrl(this.broker.url)} was unreachable for ${waitMs} ms`;
    this.brokerTimer = setTimeout(() => this.fail(new Error(error)), waitMs).unref();
  };

  /** Ends the run: the pass in progress rejects with `error`, and so does every later one. */
  private fail(error: Error): void {
    if (this.closed && !(error instanceof InterruptedError)) return;
    this.failure ??= error;
    this.jobs?.fail(this.failure);
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<Batch> {
    if (this.failure) throw this.failure;
    return this.jobs!.run(`${this.runId}.${++this.passes}`, inputs, onTask);
  }

  /** Stops the local workers, our connections, and our broker; a second call waits for the first. */
  close(force = false): Promise<void> {
    return (this.closed ??= this.shutDown(force));
  }

  private async shutDown(force: boolean): Promise<void> {
    this.unsubscribe();
    clearTimeout(this.brokerTimer);
    clearInterval(this.heartbeat);
    const brokerDown = this.failure !== undefined && !(this.failure instanceof InterruptedError);
    // The local workers first: after their current job, or at once when forced or the broker is gone.
    await this.supervisor?.close(force || brokerDown);
    // Then our connections: politely while the broker answers (a second at most, 0.3 s when
    // forced). When it is gone a polite close would wait for an answer that never comes:
    // BullMQ's close disconnects first (no more reconnecting), so it is started and not waited for.
    const settle = (closing: Promise<unknown> | undefined) => {
      const done = (closing ?? Promise.resolve()).catch(() => {});
      return brokerDown ? undefined : Promise.race([done, delay(force ? 300 : 1000, undefined, { ref: false })]);
    };
    // A row's own queue is removed from a Redis that outlives the run (its event stream keeps 100,000); not when forced.
    if (this.supervisor && !brokerDown && !force) await settle(this.queue?.obliterate({ force: true }));
    await Promise.all([settle(this.events?.close()), settle(this.queue?.close())]);
    if (!brokerDown && !force) await settle(this.monitor?.quit());
    this.monitor?.disconnect();
    if (!this.options.broker) await this.broker?.close(force);
    this.release();
  }
}

registerMode({
  name: 'queue',
  pool: true,
  check: (modeOptions) => void checkQueueOptions(modeOptions),
  create: (workers, workload, options, modeOptions) => QueueExecutor.start(workers, workload, options, modeOptions),
});
