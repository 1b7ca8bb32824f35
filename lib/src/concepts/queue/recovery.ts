/**
 * A worker killed mid-job, and what the run shows afterwards: nothing lost, nothing counted
 * twice, and how long the broker took to hand the job to another worker.
 */
import { now } from '../../core/clock';
import type { Batch } from '../../core/executor';
import type { Run, TaskRecord } from '../../core/records';
import type { QueueExecutor } from './executor';
import type { JobTimeline } from './jobs';

/**
 * A worker killed mid-job (SIGKILL, `how` 'killed', the default) or whose host's link went
 * down ('cut'): which, running what, and when (this process's clock).
 */
export type Killed = { pid: number; host: string; jobId: string; index: number; at: number; how?: 'killed' | 'cut' };

/**
 * Kills (SIGKILL) the local worker of `executor` that took a job most recently, so the job is
 * most likely unfinished, and says which. Undefined, and no kill (ask again at the next task), when
 * none is busy, or when the broker has its job done already (its next job's message on the way).
 * `jobId` and `index` are read again when asked: a worker may have finished its job and taken
 * the next in the instant before the kill, and its last message says so once it has arrived.
 */
export function killBusyWorker(executor: QueueExecutor): Killed | undefined {
  const [busy] = executor
    .processes()
    .filter((w) => w.busy)
    .sort((a, b) => b.busy!.since - a.busy!.since);
  if (!busy || !executor.running(busy.busy!.jobId)) return undefined;
  const { pid, host } = busy;
  const seen = busy.busy!;
  process.kill(pid, 'SIGKILL');
  const job = () => executor.lastJob(pid) ?? seen;
  return {
    pid,
    host,
    at: now(),
    get jobId() {
      return job().jobId;
    },
    get index() {
      return job().index;
    },
  };
}

export type Recovery = ReturnType<typeof recovery>;

/** Reads a run (`executor.run(...)`'s batch) in which `killed` was killed. */
export function recovery(executor: QueueExecutor, batch: Batch, killed: Killed) {
  const jobs = batch.detail!.jobs as JobTimeline;
  const records = [...batch.tasks];
  const { pid, host, index, at } = killed;
  const starts = executor.activationTimes(killed.jobId);
  const firstStart = starts[0];
  const restart = starts.length > 1 ? starts[starts.length - 1] : (jobs.started[index] ?? undefined);
  const start = Math.min(...jobs.enqueued);
  const end = Math.max(...records.map((t, i) => jobs.finished[i] ?? t.end));
  const row = { label: 'queue', mode: 'queue', origin: 'node', cores: 1, repeat: 0 } as const;
  const run: Run = { ...row, workers: executor.workers, start, end, wallMs: end - start, ...batch };
  const error =
    killed.how === 'cut' ? "its host's link went down mid-task" : 'its worker was killed (SIGKILL) mid-task';
  const lost: TaskRecord | undefined =
    firstStart === undefined
      ? undefined
      : { index, pid, threadId: -1, host, start: firstStart, end: at, ok: false, error };
  return {
    killed,
    tasks: records.length,
    completed: records.filter((t) => t.ok).length,
    /** Every task has exactly one record (no index counted twice, none missing). */
    countedOnce: records.every((t, i) => t.index === i && t.start > 0),
    /** Indices of the tasks a worker started more than once. */
    ranTwice: jobs.attempts.flatMap((a, i) => (a > 1 ? [i] : [])),
    firstStart,
    restart,
    finished: jobs.finished[index] ?? undefined,
    /** From the kill until another worker started the job again (ms). */
    delayMs: restart === undefined ? undefined : restart - at,
    /** The run's tasks (one record each) for a timeline, and the killed attempt as `lost`. */
    run,
    lost,
  };
}
