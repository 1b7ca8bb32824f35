/** The numbers of notebook 06 and `concurrency-lab gil`, which its charts and findings both read. */
import { mostAtOnceOf, taskTimes } from '../../core/evidence';
import { runsOf, type Comparison } from '../../core/measure';
import type { Run } from '../../core/records';
import { median } from '../../core/stats';
import { scalingPoints, summaries } from '../../core/summary';
import { loopStats } from './loop-monitor';
import type { LoopWatch } from './loop-run';
import type { GilDetail } from './mode';
import { GIL_ROWS } from './run';

/** Everything notebook 06 measures (any part may be missing); `cpu` has Python's threads as peers. */
export type GilMeasured = Partial<Record<'loop' | 'cpu' | 'io' | 'switches' | 'amdahl', Comparison>>;

/** One row of a lock comparison with what the lock did. */
export type GilRow = ReturnType<typeof gilRows>[number];

/** The detail the gil mode left on a run. */
export const gilDetail = (run: Run) => run.detail?.gil as GilDetail | undefined;

/** Holds that began before an earlier one ended (threads read one clock to within µs: under 0.05 ms is no overlap). */
function overlappingHolds(holds: readonly { start: number; end: number }[] = []): number {
  let [overlaps, lastEnd] = [0, -Infinity];
  for (const h of [...holds].sort((a, b) => a.start - b.start)) {
    if (h.start < lastEnd - 0.05) overlaps++;
    lastEnd = Math.max(lastEnd, h.end);
  }
  return overlaps;
}

/**
 * Every row of a lock comparison (and of the Python peers), with the medians per run of the
 * lock's hand-offs and of the share of the run it was held, and the most holds that overlapped.
 */
export function gilRows(c: Comparison) {
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

const ifAny = (values: number[], of: (v: number[]) => number) => (values.length ? of(values) : NaN);

/** The loop experiment's rows: each way's work time, the worst its watcher saw, and the median task. */
export function loopRows(c: Comparison) {
  return c.rows.map((row) => {
    const run = runsOf(c, row.label)[0]!;
    const w = run.detail!.watch as LoopWatch;
    const latencies = w.requests.filter((r) => r.ok).map((r) => r.end - r.start);
    const tasks = taskTimes([run]);
    return {
      label: row.label,
      workMs: run.wallMs,
      utilization: w.utilization,
      ...loopStats(w.trace, run.start, run.end),
      requests: latencies.length,
      maxLatencyMs: ifAny(latencies, (v) => Math.max(...v)),
      medianLatencyMs: ifAny(latencies, median),
      taskMs: ifAny(tasks, median),
    };
  });
}

export type LoopRow = ReturnType<typeof loopRows>[number];

/**
 * The switch sweep's points, by interval: the CPU threads' walls, hand-offs per second (median),
 * holds that overlapped (at most), and the I/O thread's median extra wait per blocking wait; and one thread's walls.
 */
export function switchPoints(c: Comparison) {
  const [waits, waitMs] = [Number(c.params.ioWaits) || 1, Number(c.params.ioWaitMs) || 0];
  const points = c.rows
    .filter((r) => r.label.includes(' threads at '))
    .map((row) => {
      const runs = runsOf(c, row.label);
      const ms = gilDetail(runs[0]!)?.switchIntervalMs ?? NaN;
      const lag = runsOf(c, `I/O thread at ${ms} ms`).map((r) =>
        Math.max(0, (r.tasks.at(0).end - r.tasks.at(0).start) / waits - waitMs),
      );
      return {
        switchIntervalMs: ms,
        walls: runs.map((r) => r.wallMs),
        switchesPerSecond: median(runs.map((r) => ((gilDetail(r)?.switches ?? 0) * 1000) / r.wallMs)),
        overlaps: Math.max(0, ...runs.map((r) => overlappingHolds(gilDetail(r)?.holds))),
        ioDelayMs: lag.length ? median(lag) : undefined,
      };
    })
    .sort((a, b) => a.switchIntervalMs - b.switchIntervalMs);
  return { base: runsOf(c, GIL_ROWS.one).map((r) => r.wallMs), points };
}

/** Amdahl's experiment: the set serial fraction, the one fitted to the points, and each thread count against one thread. */
export function amdahlPoints(c: Comparison) {
  const { serialFraction: fitted, points } = scalingPoints(c, 'gil');
  return { set: Number(c.params.serialFraction), fitted, workMs: Number(c.params.workMs), points };
}
