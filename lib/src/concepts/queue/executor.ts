/**
 * The `queue` mode: every input becomes a BullMQ job on a Redis broker, and N local worker
 * processes (plus any that join from other machines) take them off the queue. Results come
 * back through the broker too, as BullMQ's `QueueEvents` stream, so a task that ran on
 * another machine is recorded like one that ran here:
 *
 *   compare({ workload: 'cpu', inputs, modes: ['processes', 'queue'], workers: 4 })
 *
 * Jobs go on the queue in batches, a bounded number at a time. Each run's detail holds the
 * job's times (enqueued, started, finished) and how many times each was started, all on
 * this process's clock; each task's record names the host that ran it.
 */
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { now } from '../../core/clock';
import { InterruptedError, ParameterError } from '../../core/errors';
import type { Batch, Executor, ExecutorOptions } from '../../core/executor';
import { registerMode } from '../../core/modes';
import { Tasks, type TaskRecord } from '../../core/records';
import { onInterrupt, track } from '../../core/teardown';
import * as check from '../../core/validate';
import type { ResolvedWorkload } from '../../core/workload';
import { openBroker, redactUrl, type Broker } from './broker';
import { brokerNow, brokerOffset, skewMs, type ClockOffset } from './clock';
import { checkQueueOptions, MAX_QUEUE_WORKERS, QUEUE_DEFAULTS, type CheckedQueueOptions } from './params';
import type { JobData, JobReturn, JobTimes } from './queue-worker';
import { WorkerSupervisor, type QueueWorkerProcess } from './workers';

declare module '../../core/records' {
  interface RegisteredModes {
    queue: true;
  }
}

/** The job times of a queue run, by task index, on this process's clock: its `detail.jobs`. */
export interface JobTimeline {
  enqueued: number[];
  started: (number | null)[];
  finished: (number | null)[];
  /** How many times a worker started each job (2 when it was handed on after its worker died). */
  attempts: number[];
}

/** Jobs on the queue at once, per worker: enough that no worker waits for the next, never the whole input. */
const JOBS_PER_WORKER = 16;

/** What stops an input from travelling as a job (JSON), or undefined when it can. */
function jsonProblem(input: unknown): string | undefined {
  try {
    JSON.stringify(input, (_k, v: unknown) => {
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`a ${typeof v}`);
      return v;
    });
    return input === undefined ? 'undefined' : undefined;
  } catch (error) {
    return error instanceof Error ? error.message : 'a value JSON cannot hold';
  }
}

interface Pending {
  index: number;
  settle(record: TaskRecord, value: unknown, times?: Partial<JobTimes>, finished?: number): void;
}

let runCounter = 0;

/** Runs tasks as BullMQ jobs; see the file's comment. */
export class QueueExecutor implements Executor {
  readonly mode = 'queue' as const;
  startupMs = 0;
  /** The broker this run uses. */
  broker!: Broker;
  private ownsBroker = false;
  private queue?: Queue<JobData, JobReturn>;
  private events?: QueueEvents;
  private monitor?: Redis;
  private clock: ClockOffset = { offsetMs: 0, rttMs: 0 };
  private supervisor?: WorkerSupervisor;
  private readonly pending = new Map<string, Pending>();
  private readonly activations = new Map<string, number[]>();
  private readonly runId = `r${process.pid.toString(36)}${(++runCounter).toString(36)}${Date.now().toString(36)}`;
  private passes = 0;
  private failure?: Error;
  private failPass?: (error: Error) => void;
  private closing = false;
  private closed?: Promise<void>;
  private release: () => void = () => {};
  private unsubscribe: () => void = () => {};
  private offBrokerExit: () => void = () => {};
  private brokerTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  private constructor(
    public workers: number,
    private readonly workload: ResolvedWorkload,
    private readonly limits: ExecutorOptions,
    private readonly options: CheckedQueueOptions,
  ) {}

  /** Starts (or connects to) the broker and `workers` local worker processes; resolves once all are ready. */
  static async start(
    workers: number,
    workload: ResolvedWorkload,
    limits: ExecutorOptions = {},
    modeOptions?: unknown,
  ): Promise<QueueExecutor> {
    const options = checkQueueOptions(modeOptions);
    check.integer('workers', workers, 1, 256);
    if (workers > MAX_QUEUE_WORKERS)
      throw new ParameterError('workers', `an integer from 1 to ${MAX_QUEUE_WORKERS} in the queue mode`, workers);
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
    this.unsubscribe = onInterrupt((reason) => this.fail(new InterruptedError(reason)));
    this.broker = this.options.broker ?? (await openBroker({ redisUrl: this.options.redisUrl }));
    this.ownsBroker = !this.options.broker;
    this.offBrokerExit = this.broker.onExit((reason) => this.fail(new Error(`the broker stopped mid-run: ${reason}`)));
    const connection = this.broker.connection;
    // Its commands are bounded: a broker that stops answering (not only one that closes) is seen.
    this.monitor = new Redis({
      ...connection,
      commandTimeout: 2000,
      retryStrategy: (times) => Math.min(50 * times, 500),
    });
    this.monitor.on('error', () => {}); // seen through 'close' below
    this.monitor.on('close', () => this.brokerLost());
    this.monitor.on('ready', () => this.brokerBack());
    this.clock = await brokerOffset(this.monitor);
    this.heartbeat = setInterval(
      () =>
        void this.monitor?.ping().then(
          () => this.brokerBack(),
          () => this.brokerLost(),
        ),
      1000,
    );
    this.heartbeat.unref();
    // Read the event stream from now on (XREAD from "$" could start after the first events).
    const since = await brokerNow(this.monitor);
    const name = this.options.queueName;
    this.queue = new Queue<JobData, JobReturn>(name, { connection, streams: { events: { maxLen: 100_000 } } });
    this.queue.on('error', () => {});
    // A short block: a closed run's pending read (and BullMQ's watchdog on it) ends within 2 s.
    this.events = new QueueEvents(name, { connection, lastEventId: `${since}-0`, blockingTimeout: 1000 });
    this.events.on('error', () => {});
    this.events.on('active', ({ jobId }, id) => this.activated(jobId, id));
    this.events.on('completed', ({ jobId, returnvalue }, id) => this.completed(jobId, returnvalue as JobReturn, id));
    this.events.on('failed', ({ jobId, failedReason }, id) => void this.failed(jobId, failedReason, id));
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
    if (this.options.localWorkers) {
      this.supervisor = new WorkerSupervisor(
        { redisUrl: this.broker.url, queueName: name, stallMs: this.options.stallMs },
        (e) => this.fail(e),
      );
      await this.supervisor.resize(this.workers);
    } else if ((await this.queue.getWorkersCount()) === 0) {
      throw new Error(`localWorkers is false, and no worker has joined queue "${name}" on ${this.broker.describe()}`);
    }
    this.startupMs = now() - createdAt;
  }

  /** Grows or shrinks the local workers between runs: new ones join, extra ones leave after their current job. */
  async resize(workers: number): Promise<void> {
    check.integer('workers', workers, 1, MAX_QUEUE_WORKERS);
    if (this.failure) throw this.failure;
    this.workers = workers;
    await this.supervisor?.resize(workers);
  }

  /** The local worker processes now (pid, host, clock, and the job each is running). */
  processes(): QueueWorkerProcess[] {
    return this.supervisor?.processes() ?? [];
  }

  /** When a job of the last pass was started by a worker, each time (this process's clock). */
  activationTimes(jobId: string): number[] {
    return (this.activations.get(jobId) ?? []).map((t) => this.local(t));
  }

  /** A broker time (ms) on this process's clock. */
  private local(brokerMs: number): number {
    return brokerMs - this.clock.offsetMs - skewMs();
  }

  private activated(jobId: string, streamId: string): void {
    if (!this.pending.has(jobId)) return;
    this.activations.set(jobId, [...(this.activations.get(jobId) ?? []), Number(streamId.split('-')[0])]);
  }

  private take(jobId: string): Pending | undefined {
    const task = this.pending.get(jobId);
    this.pending.delete(jobId);
    this.supervisor?.free(jobId);
    return task;
  }

  private completed(jobId: string, payload: JobReturn, streamId: string): void {
    const task = this.take(jobId);
    if (!task) return; // another run's job, or one already counted
    const r = payload.record;
    const record = { ...r, index: task.index, start: this.local(r.start), end: this.local(r.end) };
    task.settle(record, payload.value, payload.job, this.local(Number(streamId.split('-')[0])));
  }

  private async failed(jobId: string, reason: string, streamId: string): Promise<void> {
    const task = this.pending.get(jobId);
    if (!task) return;
    const finished = this.local(Number(streamId.split('-')[0]));
    let data: JobData | undefined;
    try {
      const job = await Job.fromId<JobData, JobReturn>(this.queue!, jobId);
      data = job?.data;
      await job?.remove();
    } catch {
      // the broker is gone: the run fails on its own
    }
    if (!this.take(jobId)) return;
    const stalled = /stalled more than allowable limit/i.test(reason);
    const error = stalled
      ? 'its worker stopped answering (died or froze) more than once, and the broker gave up on it'
      : reason;
    const first = this.activations.get(jobId)?.[0];
    const r = data?.record;
    const record: TaskRecord = r
      ? {
          ...r,
          index: task.index,
          start: this.local(r.start),
          end: this.local(r.end),
          ok: false,
          error: r.error ?? error,
        }
      : {
          index: task.index,
          pid: -1,
          threadId: -1,
          start: first === undefined ? finished : this.local(first),
          end: finished,
          ok: false,
          error,
        };
    task.settle(record, undefined, data?.job, finished);
  }

  /** The broker answers (again). */
  private brokerBack(): void {
    clearTimeout(this.brokerTimer);
    this.brokerTimer = undefined;
  }

  /** The broker's connection closed or stopped answering: give it the run's timeout to come back, then fail the run. */
  private brokerLost(): void {
    if (this.closing || this.failure || this.brokerTimer) return;
    const waitMs = this.limits.timeoutMs ?? QUEUE_DEFAULTS.brokerTimeoutMs;
    this.brokerTimer = setTimeout(
      () =>
        this.fail(
          new Error(
            `the broker stopped answering: Redis at ${redactUrl(this.broker.url)} was unreachable for ${Math.round(waitMs)} ms`,
          ),
        ),
      waitMs,
    );
    this.brokerTimer.unref();
  }

  /** Ends the run: the pass in progress rejects with `error`, and so does every later one. */
  private fail(error: Error): void {
    if (this.closing && !(error instanceof InterruptedError)) return;
    this.failure ??= error;
    this.failPass?.(this.failure);
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<Batch> {
    if (this.failure) throw this.failure;
    const pass = ++this.passes;
    const n = inputs.length;
    this.activations.clear();
    const tasks = new Tasks(n);
    const results: unknown[] = new Array(n).fill(undefined);
    const jobs: JobTimeline = {
      enqueued: new Array(n).fill(0),
      started: new Array(n).fill(null),
      finished: new Array(n).fill(null),
      attempts: new Array(n).fill(0),
    };
    const id = (index: number) => `${this.runId}.${pass}.${index}`;
    const window = Math.max(64, JOBS_PER_WORKER * this.workers);
    let done = 0;
    let added = 0;
    let adding: Promise<void> = Promise.resolve();
    const finished = new Promise<void>((resolve, reject) => {
      this.failPass = reject;
      const settle =
        (index: number) => (record: TaskRecord, value: unknown, times?: Partial<JobTimes>, end?: number) => {
          tasks.set(record);
          results[index] = value;
          jobs.started[index] = times?.started === undefined ? null : this.local(times.started);
          jobs.attempts[index] = times?.attempts ?? this.activations.get(id(index))?.length ?? 0;
          jobs.finished[index] = end ?? null;
          done++; // not inside onTask?.(...): an absent onTask would skip the count
          onTask?.(done);
          if (done === n) resolve();
          else if (added < n && added - done <= window / 2) adding = adding.then(addBatch, reject);
        };
      const addBatch = async () => {
        const from = added;
        const to = Math.min(n, from + Math.ceil(window / 2), done + window);
        if (to <= from) return;
        added = to;
        const bulk = [];
        const at = now();
        for (let index = from; index < to; index++) {
          jobs.enqueued[index] = at;
          const problem = jsonProblem(inputs[index]);
          if (problem) {
            settle(index)(
              {
                index,
                pid: -1,
                threadId: -1,
                start: at,
                end: at,
                ok: false,
                error: `its input cannot travel as a job (JSON): ${problem}`,
              },
              undefined,
            );
            continue;
          }
          this.pending.set(id(index), { index, settle: settle(index) });
          const { timeoutMs, memoryLimitMb } = this.limits;
          const data: JobData = {
            run: this.runId,
            name: this.workload.name,
            remote: this.workload.remote,
            input: inputs[index],
            index,
            timeoutMs,
            memoryLimitMb,
          };
          bulk.push({
            name: this.workload.name,
            data,
            opts: { jobId: id(index), removeOnComplete: true, attempts: 1 },
          });
        }
        if (bulk.length) await this.queue!.addBulk(bulk);
      };
      adding = addBatch().catch(reject);
      if (n === 0) resolve();
    });
    try {
      await finished;
      return { tasks, results, detail: { jobs } };
    } finally {
      this.failPass = undefined;
      for (let index = 0; index < n; index++) this.pending.delete(id(index));
    }
  }

  /** Stops the local workers, our connections, and our broker; a second call waits for the first. */
  close(force = false): Promise<void> {
    this.closed ??= this.shutDown(force);
    return this.closed;
  }

  private async shutDown(force: boolean): Promise<void> {
    this.closing = true;
    this.unsubscribe();
    this.offBrokerExit();
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
      if (brokerDown) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, force ? 300 : 1000)));
      return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
    };
    await Promise.all([settle(this.events?.close()), settle(this.queue?.close())]);
    if (!brokerDown && !force) await settle(this.monitor?.quit());
    this.monitor?.disconnect();
    if (this.ownsBroker) await this.broker?.close(force);
    this.release();
  }
}

registerMode({
  name: 'queue',
  pool: true,
  check: (modeOptions) => void checkQueueOptions(modeOptions),
  create: (workers, workload, options, modeOptions) => QueueExecutor.start(workers, workload, options, modeOptions),
});
