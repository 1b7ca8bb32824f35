/** What the task records show beyond wall times (tasks at once, task times, waits), cited by findings as evidence. */
import type { Run, TaskRecord } from './records';

/** The most tasks in progress at the same moment (one ending as another starts does not count). */
export function mostAtOnce(tasks: Iterable<TaskRecord>): number {
  const events: [number, number][] = [];
  for (const t of tasks) if (t.ok && t.pid >= 0) events.push([t.start, 1], [t.end - 0.01, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (now += d));
  return most;
}

export function mostAtOnceOf(runs: readonly Run[]): number {
  return runs.reduce((m, r) => Math.max(m, mostAtOnce(r.tasks)), 0);
}

/** Each ok task's time from inside the thread or process that ran it, in ms. */
export function taskTimes(runs: readonly Run[]): number[] {
  const out: number[] = [];
  for (const run of runs) for (const t of run.tasks) if (t.ok && t.pid >= 0) out.push(t.end - t.start);
  return out;
}

/** The tasks of a run by the thread that ran them (`pid:threadId`), each in start order. */
export function lanesOf(run: Run): Map<string, TaskRecord[]> {
  const lanes = new Map<string, TaskRecord[]>();
  for (const t of run.tasks) {
    if (!t.ok || t.pid < 0) continue;
    const key = `${t.host ?? ''}:${t.pid}:${t.threadId}`;
    const lane = lanes.get(key) ?? [];
    lane.push(t);
    lanes.set(key, lane);
  }
  for (const lane of lanes.values()) lane.sort((a, b) => a.start - b.start);
  return lanes;
}

/** The mean time a worker waited before each task: after the run began, or after its previous task ended. */
export function meanWait(runs: readonly Run[]): number {
  const waits = runs.flatMap((run) =>
    [...lanesOf(run).values()].flatMap((lane) =>
      lane.map((t, i) => Math.max(0, t.start - (i === 0 ? run.start : lane[i - 1]!.end))),
    ),
  );
  return waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0;
}
