/**
 * Peers: the same work done another way, measured beside the modes and read with the same
 * statistics and charts. The course's Python programs are peers (origin 'python'), and so
 * are Node's own pools timed from creating the pool to closing it (origin 'node'), and any
 * small experiment that times itself (a round trip to a thread, starting a process). The
 * core knows only this interface: whoever makes a peer decides how it runs.
 */
import type { Mode, Run, Tasks } from './records';

/** One whole run of a peer, timed by the peer itself, on the shared clock (epoch ms). */
export interface PeerRun {
  start: number;
  end: number;
  wallMs: number;
  tasks: Tasks;
  /** Each task's result, by input index (undefined where the task failed). */
  results: unknown[];
  /** What the peer adds to its run (the Python that ran it, a counter's final value). */
  detail?: Record<string, unknown>;
}

/** Something outside the library's modes that runs the whole work once per call and times it. */
export interface Peer {
  /** Its name on charts and tables, e.g. 'Python ProcessPoolExecutor(10)'. */
  readonly label: string;
  /** Who runs it: 'python' for the course's programs, 'node' for this library's own. */
  readonly origin: string;
  /** The mode it does the same as: its colour on the charts, and its ideal speedup. */
  readonly mode: Mode;
  /** Its pool size (1 without a pool). */
  readonly workers: number;
  /** True when each run's time includes starting (and shutting down) its pool. */
  readonly startupIncluded: boolean;
  /** Set when it cannot run here: one line saying what is missing and how to get it. It is then skipped. */
  readonly unavailable?: string;
  /** Untimed runs before the timed ones get `warmup` (default false: a program that starts afresh each run needs none). */
  readonly warm?: boolean;
  /** The row it is set against (a label); default: its origin's sequential row. */
  readonly baseline?: string | null;
  /** Runs the work once; `onTask` may be called as tasks finish. Rejects only when the peer itself failed. */
  run(onTask?: (done: number) => void): Promise<PeerRun>;
  /** Ends what the peer keeps between runs (a thread); called once, when the comparison ends. */
  close?(): Promise<void>;
}

/** A peer that could not run, and the one line that says why. */
export interface SkippedPeer {
  label: string;
  reason: string;
}

/**
 * How long a run's pool took to get going, read from its records: from the run's start until
 * the last of its threads or processes began its first task (0 for a run on one thread).
 * It is measured the same way for Node and Python, whose pools start very differently.
 */
export function observedStartupMs(run: Pick<Run, 'start' | 'tasks'>): number {
  const first = new Map<string, number>();
  for (const t of run.tasks) {
    if (t.pid < 0) continue;
    const lane = `${t.pid}:${t.threadId}`;
    first.set(lane, Math.min(first.get(lane) ?? Infinity, t.start));
  }
  if (first.size <= 1) return 0;
  return Math.max(0, Math.max(...first.values()) - run.start);
}
