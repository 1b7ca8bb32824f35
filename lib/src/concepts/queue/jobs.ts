/**
 * The job bookkeeping of a queue run: each input becomes a job, a bounded number at a time,
 * and what becomes of each comes back through the broker's event stream (`QueueEvents`), so a
 * task that ran on another machine is recorded like one that ran here.
 */
import { Job, type Queue, type QueueEvents } from 'bullmq';
import { now } from '../../core/clock';
import type { Batch } from '../../core/executor';
import { Tasks, type TaskRecord } from '../../core/records';
import type { JobData, JobReturn, JobTimes } from './queue-worker';

/**
 * A pass's `detail.jobs`, by task index, on this process's clock: when each job was enqueued,
 * started and finished, and how many times a worker started it (2 once handed on).
 */
export type JobTimeline = {
  enqueued: number[];
  started: (number | null)[];
  finished: (number | null)[];
  attempts: number[];
};

type Settle = (record: TaskRecord, value: unknown, times?: Partial<JobTimes>, finished?: number) => void;

/** Jobs on the queue at once, per worker: enough that no worker waits for the next, never the whole input. */
const JOBS_PER_WORKER = 16;

/** A stream entry's id is its broker time in ms, then a sequence number. */
const streamMs = (id: string) => Number(id.split('-')[0]);

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

/** The jobs of one queue run, pass after pass. */
export class Jobs {
  private readonly pending = new Map<string, { index: number; settle: Settle }>();
  private readonly activations = new Map<string, number[]>();
  private readonly window: number;
  private abort?: (error: Error) => void;

  /** `local` puts a broker time on this process's clock; `ended(jobId)` hears that a job's worker is free. */
  constructor(
    private readonly queue: Queue<JobData, JobReturn>,
    events: QueueEvents,
    private readonly base: Omit<JobData, 'input' | 'index' | 'record' | 'job'>,
    workers: number,
    private readonly local: (brokerMs: number) => number,
    private readonly ended: (jobId: string) => void,
  ) {
    this.window = Math.max(64, JOBS_PER_WORKER * workers);
    events.on('active', ({ jobId }, id) => {
      if (this.pending.has(jobId)) this.activations.set(jobId, [...this.activationsOf(jobId), streamMs(id)]);
    });
    events.on('completed', ({ jobId, returnvalue }, id) => {
      const settle = this.take(jobId);
      if (!settle) return; // another run's job, or one already counted
      const { record: r, value, job } = returnvalue as JobReturn;
      settle({ ...r, start: this.local(r.start), end: this.local(r.end) }, value, job, this.local(streamMs(id)));
    });
    events.on('failed', ({ jobId, failedReason }, id) => void this.failed(jobId, failedReason, id));
  }

  /** Whether job `jobId` of this pass has not finished yet, as the broker's events tell. */
  isPending(jobId: string): boolean {
    return this.pending.has(jobId);
  }

  /** When a job of the last pass was started by a worker, each time (broker's clock). */
  activationsOf(jobId: string): number[] {
    return this.activations.get(jobId) ?? [];
  }

  fail(error: Error): void {
    this.abort?.(error);
  }

  private take(jobId: string): Settle | undefined {
    const task = this.pending.get(jobId);
    this.pending.delete(jobId);
    this.ended(jobId);
    return task?.settle;
  }

  private async failed(jobId: string, reason: string, streamId: string): Promise<void> {
    const task = this.pending.get(jobId);
    if (!task) return;
    const finished = this.local(streamMs(streamId));
    let data: JobData | undefined;
    try {
      const job = await Job.fromId<JobData, JobReturn>(this.queue, jobId);
      data = job?.data;
      await job?.remove();
    } catch {
      // the broker is gone: the run fails on its own
    }
    if (!this.take(jobId)) return;
    const error = /stalled more than allowable limit/i.test(reason)
      ? 'its worker stopped answering (died or froze) more than once, and the broker gave up on it'
      : reason;
    const r = data?.record;
    const first = this.activationsOf(jobId)[0];
    const start = r ? this.local(r.start) : first === undefined ? finished : this.local(first);
    const end = r ? this.local(r.end) : finished;
    const record = { pid: -1, threadId: -1, ...r, index: task.index, start, end, ok: false, error: r?.error ?? error };
    task.settle(record, undefined, data?.job, finished);
  }

  /** Puts `inputs` on the queue as jobs `${pass}.${index}`, a window at a time; resolves once each has ended. */
  async run(pass: string, inputs: readonly unknown[], onTask?: (done: number) => void): Promise<Batch> {
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
    const id = (index: number) => `${pass}.${index}`;
    const half = Math.ceil(this.window / 2);
    let done = 0;
    let added = 0;
    let adding: Promise<void> = Promise.resolve();
    const finished = new Promise<void>((resolve, reject) => {
      this.abort = reject;
      const settle =
        (index: number): Settle =>
        (record, value, times, end) => {
          tasks.set({ ...record, index });
          results[index] = value;
          jobs.started[index] = times?.started === undefined ? null : this.local(times.started);
          jobs.attempts[index] = times?.attempts ?? this.activationsOf(id(index)).length;
          jobs.finished[index] = end ?? null;
          done++; // not inside onTask?.(...): an absent onTask would skip the count
          onTask?.(done);
          if (done === n) resolve();
          else if (added < n && added - done <= half) adding = adding.then(addBatch, reject);
        };
      const addBatch = async () => {
        const from = added;
        const to = Math.min(n, from + half, done + this.window);
        if (to <= from) return;
        added = to;
        const at = now();
        const bulk = [];
        for (let index = from; index < to; index++) {
          jobs.enqueued[index] = at;
          const problem = jsonProblem(inputs[index]);
          if (problem) {
            const error = `its input cannot travel as a job (JSON): ${problem}`;
            settle(index)({ index, pid: -1, threadId: -1, start: at, end: at, ok: false, error }, undefined);
            continue;
          }
          this.pending.set(id(index), { index, settle: settle(index) });
          const data: JobData = { ...this.base, input: inputs[index], index };
          bulk.push({ name: data.name, data, opts: { jobId: id(index), removeOnComplete: true, attempts: 1 } });
        }
        if (bulk.length) await this.queue.addBulk(bulk);
      };
      adding = addBatch().catch(reject);
      if (n === 0) resolve();
    });
    try {
      await finished;
      return { tasks, results, detail: { jobs } };
    } finally {
      this.abort = undefined;
      for (let index = 0; index < n; index++) this.pending.delete(id(index));
    }
  }
}
