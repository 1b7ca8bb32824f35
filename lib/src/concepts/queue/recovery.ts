/**
 * A worker killed mid-job, and what the run shows afterwards: nothing lost, nothing counted
 * twice, and how long the broker took to hand the job to another worker.
 */
import { now } from '../../core/clock';
import type { Batch } from '../../core/executor';
import type { Run, TaskRecord } from '../../core/records';
import type { JobTimeline, QueueExecutor } from './executor';

/** A worker killed mid-job, or whose host was cut off the network: which, running what, and when (this process's clock). */
export interface Killed {
  pid: number;
  host: string;
  jobId: string;
  index: number;
  at: number;
  /** 'killed' (SIGKILL, the default) or 'cut' (its host's link went down). */
  how?: 'killed' | 'cut';
}

/**
 * Kills (SIGKILL) the local worker of `executor` that took a job most recently, so the job is
 * surely unfinished, and says which; undefined when none is busy at this moment.
 */
export function killBusyWorker(executor: QueueExecutor): Killed | undefined {
  const [busy] = executor
    .processes()
    .filter((w) => w.busy)
    .sort((a, b) => b.busy!.since - a.busy!.since);
  if (!busy) return undefined;
  const killed = { pid: busy.pid, host: busy.host, jobId: busy.busy!.jobId, index: busy.busy!.index, at: now() };
  process.kill(busy.pid, 'SIGKILL');
  return killed;
}

/** What a run with a killed worker shows. */
export interface Recovery {
  killed: Killed;
  tasks: number;
  completed: number;
  /** Every task has exactly one record (no index counted twice, none missing). */
  countedOnce: boolean;
  /** Indices of the tasks a worker started more than once. */
  ranTwice: number[];
  /** The killed job: when it first started, when it started again, and when it finished. */
  firstStart?: number;
  restart?: number;
  finished?: number;
  /** From the kill until another worker started the job again (ms). */
  delayMs?: number;
  /** The run's tasks (one record each) for a timeline, and the killed attempt as `lost`. */
  run: Run;
  lost?: TaskRecord;
}

/** Reads a run (`executor.run(...)`'s batch) in which `killed` was killed. */
export function recovery(executor: QueueExecutor, batch: Batch, killed: Killed): Recovery {
  const jobs = batch.detail!.jobs as JobTimeline;
  const records = [...batch.tasks];
  const starts = executor.activationTimes(killed.jobId);
  const firstStart = starts[0];
  const restart = starts.length > 1 ? starts[starts.length - 1] : (jobs.started[killed.index] ?? undefined);
  const start = Math.min(...jobs.enqueued);
  const end = Math.max(...records.map((t, i) => jobs.finished[i] ?? t.end));
  const lost: TaskRecord | undefined =
    firstStart === undefined
      ? undefined
      : {
          index: killed.index,
          pid: killed.pid,
          threadId: -1,
          host: killed.host,
          start: firstStart,
          end: killed.at,
          ok: false,
          error:
            killed.how === 'cut' ? "its host's link went down mid-task" : 'its worker was killed (SIGKILL) mid-task',
        };
  return {
    killed,
    tasks: records.length,
    completed: records.filter((t) => t.ok).length,
    countedOnce: records.every((t, i) => t.index === i && t.start > 0),
    ranTwice: jobs.attempts.flatMap((a, i) => (a > 1 ? [i] : [])),
    firstStart,
    restart,
    finished: jobs.finished[killed.index] ?? undefined,
    delayMs: restart === undefined ? undefined : restart - killed.at,
    run: {
      label: 'queue',
      mode: 'queue',
      origin: 'node',
      workers: executor.workers,
      cores: 1,
      repeat: 0,
      start,
      end,
      wallMs: end - start,
      ...batch,
    },
    lost,
  };
}
