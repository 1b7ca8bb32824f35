/** Reading a comparison's rows by label for the bench: the median, start-up, runs and task times of each. */
import { summaries, type Comparison } from 'concurrency-lab';
import { median } from 'concurrency-lab/tooling';

/** A number rounded for JSON, null when there is none. */
export const round = (v: number | undefined | null, digits = 1): number | null =>
  v === undefined || v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

/** One row: its median wall time, start-up, runs, speedup over its baseline, and its tasks' median time. */
export function rowOf(c: Comparison, label: string) {
  const s = summaries(c).find((r) => r.label === label);
  if (!s) return undefined;
  const times = c.runs
    .filter((r) => r.label === label)
    .flatMap((r) => [...r.tasks].filter((t) => t.ok).map((t) => t.end - t.start));
  return {
    ms: s.wall.median,
    startupMs: s.startupMs,
    runs: s.wall.n,
    speedup: s.speedup,
    taskMs: times.length ? median(times) : NaN,
  };
}

/**
 * `over`'s wall time over `under`'s, round by round (the runs of one round take turns, so they share the machine's
 * state), indexed by round: NaN for a round that lacks either, so two such lists still pair round with round.
 */
export function perRound(c: Comparison, over: string, under: string): number[] {
  const wall = (label: string, repeat: number) => c.runs.find((r) => r.label === label && r.repeat === repeat)?.wallMs;
  const rounds = Math.max(0, ...c.runs.map((r) => r.repeat + 1));
  return Array.from({ length: rounds }, (_, k) => (wall(over, k) ?? NaN) / (wall(under, k) ?? NaN));
}

/** The peers a comparison skipped, each as one line. */
export function skippedOf(c: Comparison): string[] {
  return c.skipped.map((s) => `${s.label}: ${s.reason}`);
}

/** Progress as lines on stderr, one per finished run. */
export const logRuns = (p: { label: string; repeat: number; repeats: number; done: number; total: number }) => {
  if (p.done === p.total) process.stderr.write(`  ${p.label}: run ${p.repeat + 1}/${p.repeats} done\n`);
};
