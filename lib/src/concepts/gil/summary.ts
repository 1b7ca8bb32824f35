/** The numbers of notebook 06 and `concurrency-lab gil`, which its charts and findings both read. */
import { scalingPoints } from '../../charts/scaling';
import { mostAtOnceOf } from '../../core/evidence';
import { runsOf, type Comparison } from '../../core/measure';
import type { Run } from '../../core/records';
import { median } from '../../core/stats';
import { summaries, type RowSummary } from '../../core/summary';
import { loopStats } from './loop-monitor';
import { LOOP_ROWS, type LoopWatch } from './loop-run';
import type { GilDetail } from './mode';
import { GIL_ROWS } from './run';

/** Everything notebook 06 measures; any part may be missing. */
export interface GilMeasured {
  loop?: Comparison;
  /** The CPU tasks on one thread, with the lock and without (and Python's threads as peers). */
  cpu?: Comparison;
  io?: Comparison;
  switches?: Comparison;
  amdahl?: Comparison;
}

/** One way of running the loop experiment's work, and the worst its watcher saw. */
export interface LoopRow {
  label: string;
  workMs: number;
  utilization: number;
  maxDelayMs: number;
  maxLatenessMs: number;
  requests: number;
  maxLatencyMs: number;
  medianLatencyMs: number;
  /** The median time one task took. */
  taskMs: number;
}

/** One row of a lock comparison with what the lock did. */
export interface GilRow extends RowSummary {
  walls: number[];
  atOnce: number;
  /** Medians per run of the lock's hand-offs and of the share of the run it was held. */
  switches: number;
  heldShare: number;
  /** Holds that overlapped another thread's (the lock failing), at most over the runs. */
  overlaps: number;
}

/** The detail the gil mode left on a run. */
export const gilDetail = (run: Run) => run.detail?.gil as GilDetail | undefined;

/**
 * Holds that began before an earlier hold (of any thread) had ended: two threads holding at
 * once. Threads read one clock to within microseconds, so overlaps under 0.05 ms do not count.
 */
export function overlappingHolds(holds: readonly { start: number; end: number }[]): number {
  let overlaps = 0;
  let lastEnd = -Infinity;
  for (const h of [...holds].sort((a, b) => a.start - b.start)) {
    if (h.start < lastEnd - 0.05) overlaps++;
    lastEnd = Math.max(lastEnd, h.end);
  }
  return overlaps;
}

/** Every row of a lock comparison (and of the Python peers), read. */
export function gilRows(c: Comparison): GilRow[] {
  return summaries(c).map((s) => {
    const runs = runsOf(c, s.label);
    const details = runs.map(gilDetail).filter((d): d is GilDetail => d !== undefined);
    return {
      ...s,
      walls: runs.map((r) => r.wallMs),
      atOnce: mostAtOnceOf(runs),
      switches: details.length ? median(details.map((d) => d.switches)) : 0,
      heldShare: details.length ? median(details.map((d, i) => d.heldMs / runs[i]!.wallMs)) : NaN,
      overlaps: Math.max(0, ...details.map((d) => overlappingHolds(d.holds))),
    };
  });
}

/** The loop experiment's rows. */
export function loopRows(c: Comparison): LoopRow[] {
  return c.rows.map((row) => {
    const run = runsOf(c, row.label)[0]!;
    const w = run.detail!.watch as LoopWatch;
    const stats = loopStats(w.trace, run.start, run.end);
    const latencies = w.requests.filter((r) => r.ok).map((r) => r.end - r.start);
    const tasks = [...run.tasks].filter((t) => t.ok).map((t) => t.end - t.start);
    return {
      label: row.label,
      workMs: run.wallMs,
      utilization: w.utilization,
      maxDelayMs: stats.maxDelayMs,
      maxLatenessMs: stats.maxLatenessMs,
      requests: latencies.length,
      maxLatencyMs: latencies.length ? Math.max(...latencies) : NaN,
      medianLatencyMs: latencies.length ? median(latencies) : NaN,
      taskMs: tasks.length ? median(tasks) : NaN,
    };
  });
}

/** One interval of the switch sweep: the CPU threads against one thread, and the I/O thread's extra wait. */
export interface SwitchPoint {
  switchIntervalMs: number;
  walls: number[];
  /** Hand-offs per second of run time (median). */
  switchesPerSecond: number;
  /** Per blocking wait of the I/O thread, the median extra time beyond the wait, ms. */
  ioDelayMs?: number;
  /** Holds of the CPU threads that overlapped another thread's (the lock failing), at most over the runs. */
  overlaps: number;
}

/** The switch sweep's points, by interval, and one thread's walls. */
export function switchPoints(c: Comparison): { base: number[]; points: SwitchPoint[] } {
  const waits = Number(c.params.ioWaits) || 1;
  const waitMs = Number(c.params.ioWaitMs) || 0;
  const base = runsOf(c, GIL_ROWS.one).map((r) => r.wallMs);
  const points = c.rows
    .filter((r) => r.label.includes(' threads at '))
    .map((row) => {
      const runs = runsOf(c, row.label);
      const ms = gilDetail(runs[0]!)?.switchIntervalMs ?? NaN;
      const io = runsOf(c, `I/O thread at ${ms} ms`);
      const lag = io.map((r) => Math.max(0, (r.tasks.at(0).end - r.tasks.at(0).start) / waits - waitMs));
      return {
        switchIntervalMs: ms,
        walls: runs.map((r) => r.wallMs),
        switchesPerSecond: median(runs.map((r) => ((gilDetail(r)?.switches ?? 0) * 1000) / r.wallMs)),
        overlaps: Math.max(0, ...runs.map((r) => overlappingHolds(gilDetail(r)?.holds ?? []))),
        ...(lag.length ? { ioDelayMs: median(lag) } : {}),
      };
    })
    .sort((a, b) => a.switchIntervalMs - b.switchIntervalMs);
  return { base, points };
}

/** Amdahl's experiment: the set serial fraction, the one fitted to the points, and each thread count against one thread. */
export function amdahlPoints(c: Comparison) {
  const { serialFraction: fitted, points, baselineMs } = scalingPoints(c, 'gil');
  return { set: Number(c.params.serialFraction), fitted, workMs: Number(c.params.workMs), points, baselineMs };
}

export { LOOP_ROWS };
