/**
 * The `queue` mode: every input becomes a BullMQ job on a Redis broker, and N local worker
 * processes (plus any that join from other machines) take them off the queue. Results come
 * back through the broker too, as BullMQ's `QueueEvents` stream, so a task that ran on
 * another machine is recorded like one that ran here:
 *
 *   compare({ workload: 'cpu', inputs, modes: ['processes', 'queue'], workers: 4 })
 *
 * Each task's record is the usual one plus `host`, the job's times (enqueued, started,
 * finished) and how many times it was started, every time on this process's clock.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { now } from '../../core/clock';
import { InterruptedError, messageOf, ParameterError } from '../../core/errors';
import { registerMode, type Executor, type ExecutorOptions } from '../../core/modes';
import type { TaskRecord, TaskResult } from '../../core/records';
import { onInterrupt, track } from '../../core/teardown';
import * as check from '../../core/validate';
import type { ResolvedWorkload } from '../../core/workload';
import { openBroker, redactUrl, type Broker } from './broker';
import { brokerNow, brokerOffset, skewMs, type ClockOffset } from './clock';
import { CHILD_OPTIONS_ENV, type ChildOptions, type JobData, type JobReturn, type WorkerEvent } from './queue-worker';

declare module '../../core/modes' {
  interface RegisteredModes {
    queue: true;
  }
}

/** Defaults of the queue mode's options. */
export const QUEUE_DEFAULTS = {
  /** The queue's name: a worker joining from another machine names the same one. */
  queueName: 'concurrency-lab',
  /** How long a job may go without its worker's heartbeat before the broker hands it to another worker. */
  stallMs: 4000,
  /** How long the broker may be unreachable before a run gives up, unless the run has a timeoutMs. */
  brokerTimeoutMs: 5000,
} as const;

/** Most local worker processes a queue run starts (each is a Node process of ~50 MB). */
export const MAX_QUEUE_WORKERS = 64;

/** Options of the queue mode: `compare({ modes: ['queue'], modeOptions: { queue: { ... } } })`. */
export interface QueueModeOptions {
  /** An existing Redis (default: $REDIS_URL, else a redis-server of our own, started for the run). */
  redisUrl?: string;
  /** A broker already open (`queue.startBroker()`), used and left open. */
  broker?: Broker;
  /** The queue's name: letters, digits, '.', '_', '-' (default 'concurrency-lab'). */
  queueName?: string;
  /** Milliseconds a job may go without its worker's heartbeat before another worker gets it (default 4000). */
  stallMs?: number;
}

/** A local worker process of the run. */
export interface QueueWorkerProcess {
  pid: number;
  host: string;
  /** Its clock against the broker's. */
  clock: ClockOffset;
  /** The job it is running now, if any: its id, task index, and since when (this process's clock). */
  busy?: { jobId: string; index: number; since: number };
}

/** Checks a queue name: what Redis keys hold safely, and what BullMQ accepts (no ':'). */
export function checkQueueName(value: unknown, name = 'queueName'): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value)) {
    throw new ParameterError(
      name,
      "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit (no ':', spaces or braces)",
      value,
    );
  }
  return value;
}

/** Checks the queue mode's options up front; one line names what is wrong. */
export function checkQueueOptions(
  value: unknown,
): Required<Pick<QueueModeOptions, 'queueName' | 'stallMs'>> & Pick<QueueModeOptions, 'redisUrl' | 'broker'> {
  const options = (value ?? {}) as QueueModeOptions;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ParameterError('modeOptions.queue', 'an object like { redisUrl, queueName, stallMs }', value);
  }
  const known = ['redisUrl', 'broker', 'queueName', 'stallMs'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ParameterError('modeOptions.queue', `options from ${known.join(', ')}`, key);
  }
  return {
    queueName: checkQueueName(options.queueName ?? QUEUE_DEFAULTS.queueName),
    stallMs: check.integer('stallMs', options.stallMs ?? QUEUE_DEFAULTS.stallMs, 200, 600_000),
    redisUrl: options.redisUrl,
    broker: options.broker,
  };
}

const WORKER_SCRIPT = path.join(__dirname, 'queue-worker.js');
const WORKER_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 2000;

interface PendingTask {
  index: number;
  enqueued: number;
  settle(result: TaskResult): void;
}

interface Child extends QueueWorkerProcess {
  process: ChildProcess;
  /** Set when we asked it to stop: its exit is not a death to replace. */
  leaving?: boolean;
}

let runCounter = 0;

/** Runs tasks as BullMQ jobs; see the file's comment. */
export class QueueExecutor implements Executor {
  readonly mode = 'queue' as const;
  /** Local worker processes now (`resize` changes it). */
  workers: number;
  startupMs = 0;
  /** The broker this run uses. */
  broker!: Broker;
  private ownsBroker = false;
  private queue?: Queue<JobData, JobReturn>;
  private events?: QueueEvents;
  private monitor?: Redis;
  private clock: ClockOffset = { offsetMs: 0, rttMs: 0 };
  private readonly children = new Map<number, Child>();
  private readonly starting = new Set<ChildProcess>();
  private readonly pending = new Map<string, PendingTask>();
  /** Broker times (ms) at which each job of the last pass became active: more than one means it was handed on. */
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

  private constructor(
    workers: number,
    private readonly workload: ResolvedWorkload,
    private readonly limits: ExecutorOptions,
    private readonly options: ReturnType<typeof checkQueueOptions>,
  ) {
    this.workers = workers;
  }

  /** Starts (or connects to) the broker and `workers` local worker processes; resolves once all are ready. */
  static async start(
    workers: number,
    workload: ResolvedWorkload,
    limits: ExecutorOptions = {},
    modeOptions?: unknown,
  ): Promise<QueueExecutor> {
    const options = checkQueueOptions(modeOptions);
    check.integer('workers', workers, 1, 256);
    if (workers > MAX_QUEUE_WORKERS) {
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
    this.unsubscribe = onInterrupt((reason) => this.fail(new InterruptedError(reason)));
    if (this.options.broker) this.broker = this.options.broker;
    else {
      this.broker = await openBroker({ redisUrl: this.options.redisUrl });
      this.ownsBroker = true;
    }
    this.offBrokerExit = this.broker.onExit((reason) => this.fail(new Error(`the broker stopped mid-run: ${reason}`)));
    const connection = this.broker.connection;
    this.monitor = new Redis({ ...connection, retryStrategy: (times) => Math.min(50 * times, 500) });
    this.monitor.on('error', () => {}); // seen through 'close' below
    this.monitor.on('close', () => this.brokerLost());
    this.monitor.on('ready', () => {
      clearTimeout(this.brokerTimer);
      this.brokerTimer = undefined;
    });
    this.clock = await brokerOffset(this.monitor);
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
    await Promise.all(Array.from({ length: this.workers }, () => this.spawn()));
    this.startupMs = now() - createdAt;
  }

  /**
   * Grows or shrinks the local workers to `workers` between runs: new ones join the queue, and
   * extra ones leave after their current job. A queue's workers come and go as they please;
   * nothing else has to restart (a pool of processes would).
   */
  async resize(workers: number): Promise<void> {
    check.integer('workers', workers, 1, MAX_QUEUE_WORKERS);
    if (this.failure) throw this.failure;
    this.workers = workers;
    const extra = [...this.children.values()].slice(workers);
    await Promise.all(extra.map((child) => this.stopChild(child, false)));
    const missing = workers - this.children.size;
    if (missing > 0) await Promise.all(Array.from({ length: missing }, () => this.spawn()));
  }

  /** Stops one local worker: after its current job, or at once when `hard`. */
  private async stopChild(child: Child, hard: boolean): Promise<void> {
    const proc = child.process;
    this.children.delete(child.pid);
    child.leaving = true;
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    try {
      if (proc.connected) proc.send(hard ? 'kill' : 'stop');
      else proc.kill('SIGKILL');
    } catch {
      proc.kill('SIGKILL');
    }
    const timer = setTimeout(() => proc.kill('SIGKILL'), hard ? 500 : STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** The local worker processes now (pid, host, clock, and the job each is running). */
  processes(): QueueWorkerProcess[] {
    return [...this.children.values()].map(({ pid, host, clock, busy }) => ({ pid, host, clock, busy }));
  }

  /** When a job of the last pass was started by a worker, each time (this process's clock). */
  activationTimes(jobId: string): number[] {
    return (this.activations.get(jobId) ?? []).map((t) => this.local(t));
  }

  /** A broker time (ms) on this process's clock. */
  private local(brokerMs: number): number {
    return brokerMs - this.clock.offsetMs - skewMs();
  }

  /** Starts one local worker process and resolves when it has joined the queue. */
  private spawn(): Promise<Child> {
    const options: ChildOptions = {
      redisUrl: this.broker.url,
      queueName: this.options.queueName,
      stallMs: this.options.stallMs,
    };
    const proc = fork(WORKER_SCRIPT, [], {
      env: { ...process.env, [CHILD_OPTIONS_ENV]: JSON.stringify(options) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
    });
    // Until it has joined, it is only here: a close in the meantime must stop it too.
    this.starting.add(proc);
    proc.once('exit', () => this.starting.delete(proc));
    let stderr = '';
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    return new Promise<Child>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`a queue worker did not join within ${WORKER_START_TIMEOUT_MS / 1000} s`));
      }, WORKER_START_TIMEOUT_MS);
      let child: Child | undefined;
      proc.on(
        'message',
        (
          m:
            | WorkerEvent
            | { type: 'ready'; pid: number; host: string; offsetMs: number; rttMs: number }
            | { type: 'failed'; message: string },
        ) => {
          if (m.type === 'ready') {
            clearTimeout(timer);
            this.starting.delete(proc);
            child = { pid: m.pid, host: m.host, clock: { offsetMs: m.offsetMs, rttMs: m.rttMs }, process: proc };
            if (this.closing) {
              proc.kill('SIGKILL');
              reject(this.failure ?? new Error('the queue run was closed while a worker started'));
              return;
            }
            this.children.set(m.pid, child);
            resolve(child);
          } else if (m.type === 'failed') {
            clearTimeout(timer);
            reject(new Error(`a queue worker could not start: ${m.message}`));
          } else if (child && m.type === 'active') {
            child.busy = { jobId: m.jobId, index: m.index, since: now() };
          }
        },
      );
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!child) {
          const last = stderr.trim().split('\n').pop();
          reject(
            new Error(
              `a queue worker exited while starting (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}`,
            ),
          );
          return;
        }
        this.children.delete(child.pid);
        if (child.leaving) return;
        // A worker that died (killed, crashed) is replaced, as a pool replaces its workers;
        // BullMQ hands the job it held to another worker once its lock runs out.
        if (!this.closing && !this.failure) {
          this.spawn().catch((error: unknown) =>
            this.fail(new Error(`replacing a queue worker failed: ${messageOf(error)}`)),
          );
        }
      });
    });
  }

  private activated(jobId: string, streamId: string): void {
    if (!this.pending.has(jobId)) return;
    const list = this.activations.get(jobId) ?? [];
    list.push(Number(streamId.split('-')[0]));
    this.activations.set(jobId, list);
  }

  private taskOf(jobId: string): PendingTask | undefined {
    const task = this.pending.get(jobId);
    if (task) this.pending.delete(jobId);
    for (const child of this.children.values()) if (child.busy?.jobId === jobId) child.busy = undefined;
    return task;
  }

  private completed(jobId: string, payload: JobReturn, streamId: string): void {
    const task = this.taskOf(jobId);
    if (!task) return; // another run's job, or one already counted
    const r = payload.record;
    const record: TaskRecord = {
      ...r,
      index: task.index,
      start: this.local(r.start),
      end: this.local(r.end),
      enqueued: task.enqueued,
      started: r.started === undefined ? undefined : this.local(r.started),
      finished: this.local(Number(streamId.split('-')[0])),
    };
    task.settle({ record, value: payload.value });
  }

  private async failed(jobId: string, reason: string, streamId: string): Promise<void> {
    const task = this.pending.get(jobId);
    if (!task) return;
    const finished = this.local(Number(streamId.split('-')[0]));
    let r: TaskRecord | undefined;
    try {
      const job = await Job.fromId<JobData, JobReturn>(this.queue!, jobId);
      r = job?.data.record;
      await job?.remove();
    } catch {
      // the broker is gone: the run fails on its own
    }
    if (!this.taskOf(jobId)) return;
    const stalled = /stalled more than allowable limit/i.test(reason);
    const error = stalled
      ? 'its worker stopped answering (died or froze) more than once, and the broker gave up on it'
      : reason;
    const firstStart = this.activations.get(jobId)?.[0];
    const record: TaskRecord = r
      ? {
          ...r,
          index: task.index,
          start: this.local(r.start),
          end: this.local(r.end),
          started: r.started === undefined ? undefined : this.local(r.started),
        }
      : {
          index: task.index,
          pid: -1,
          threadId: -1,
          start: firstStart === undefined ? task.enqueued : this.local(firstStart),
          end: finished,
          ok: false,
          error,
        };
    task.settle({
      record: { ...record, ok: false, error: record.error ?? error, enqueued: task.enqueued, finished },
      value: undefined,
    });
  }

  /** The broker's connection closed: give it the run's timeout to come back, then fail the run. */
  private brokerLost(): void {
    if (this.closing || this.failure || this.brokerTimer) return;
    const waitMs = this.limits.timeoutMs ?? QUEUE_DEFAULTS.brokerTimeoutMs;
    this.brokerTimer = setTimeout(() => {
      this.fail(
        new Error(
          `the broker stopped answering: Redis at ${redactUrl(this.broker.url)} was unreachable for ${Math.round(waitMs)} ms`,
        ),
      );
    }, waitMs);
    this.brokerTimer.unref();
  }

  /** Ends the run: the pass in progress rejects with `error`, and so does every later one. */
  private fail(error: Error): void {
    if (this.closing && !(error instanceof InterruptedError)) return;
    this.failure ??= error;
    this.failPass?.(this.failure);
  }

  async run(inputs: readonly unknown[], onTask?: (done: number) => void): Promise<TaskResult[]> {
    if (this.failure) throw this.failure;
    const pass = ++this.passes;
    this.activations.clear();
    const results: TaskResult[] = new Array(inputs.length);
    let done = 0;
    const enqueued = now();
    const finished = new Promise<void>((resolve, reject) => {
      this.failPass = reject;
      inputs.forEach((_, index) => {
        this.pending.set(`${this.runId}.${pass}.${index}`, {
          index,
          enqueued,
          settle: (result) => {
            results[index] = result;
            done++; // not inside onTask?.(...): an absent onTask would skip the count
            onTask?.(done);
            if (done === inputs.length) resolve();
          },
        });
      });
    });
    const data = (input: unknown, index: number): JobData => ({
      run: this.runId,
      name: this.workload.name,
      remote: this.workload.remote,
      input,
      index,
      ...(this.limits.timeoutMs ? { timeoutMs: this.limits.timeoutMs } : {}),
      ...(this.limits.memoryLimitMb ? { memoryLimitMb: this.limits.memoryLimitMb } : {}),
    });
    try {
      await Promise.race([
        this.queue!.addBulk(
          inputs.map((input, index) => ({
            name: this.workload.name,
            data: data(input, index),
            opts: { jobId: `${this.runId}.${pass}.${index}`, removeOnComplete: true, attempts: 1 },
          })),
        ),
        finished,
      ]);
      await finished;
      return results;
    } finally {
      this.failPass = undefined;
      for (let index = 0; index < inputs.length; index++) this.pending.delete(`${this.runId}.${pass}.${index}`);
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
    const brokerDown = this.failure !== undefined && !(this.failure instanceof InterruptedError);
    for (const proc of this.starting) proc.kill('SIGKILL');
    // Stop the local workers: after their current job, or at once when forced or the broker is gone.
    await Promise.all([...this.children.values()].map((child) => this.stopChild(child, force || brokerDown)));
    this.children.clear();
    // Then our connections: politely while the broker answers (for a second at most, 0.3 s when
    // forced). When
    // it is gone a polite close would wait for an answer that never comes: BullMQ's close
    // disconnects first (no more reconnecting), so it is started and not waited for.
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
  create: (workers, workload, options, modeOptions) => QueueExecutor.start(workers, workload, options, modeOptions),
});
