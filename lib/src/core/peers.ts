/** Peers: the same work done another way (the course's Python programs, Node's pools timed end to end), read alike. */
import type { PeerRun, Row, Run } from './records';

/** Something outside the library's modes that runs the whole work once per call and times it: a row of its own. */
export interface Peer extends Readonly<Pick<Row, 'label' | 'origin' | 'mode' | 'workers' | 'startupIncluded'>> {
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

/** How long a run's pool took to get going: until the last of its threads began its first task (0 for one thread). */
export function observedStartupMs(run: Pick<Run, 'start' | 'tasks'>): number {
  const first = new Map<string, number>();
  for (const t of run.tasks) {
    if (t.pid < 0) continue;
    const lane = `${t.pid}:${t.threadId}`;
    first.set(lane, Math.min(first.get(lane) ?? Infinity, t.start));
  }
  return first.size <= 1 ? 0 : Math.max(0, Math.max(...first.values()) - run.start);
}
