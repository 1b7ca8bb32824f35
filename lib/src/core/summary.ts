/** Reading a comparison: per-mode statistics, speedups, the ideal, failures, warnings. */
import type { TaskFailure } from './errors';
import type { Comparison } from './measure';
import { isPoolMode, type Mode } from './modes';
import type { Run } from './records';
import { NOISY_CV, summarize, type Summary } from './stats';

/** One mode of a comparison, summarised. */
export interface ModeSummary {
  mode: Mode;
  workers: number;
  wall: Summary;
  /** Sequential median / this mode's median (undefined without a sequential run). */
  speedup?: number;
  /** The best speedup the machine allows for CPU work: min(workers, cores, tasks) for pools, else 1. */
  idealSpeedup: number;
  startupMs: number;
  /** Failed tasks of all repeats, by repeat. */
  failures: (TaskFailure & { repeat: number })[];
}

/** The most parallelism CPU work can get in `mode`. */
export function idealSpeedup(mode: Mode, workers: number, cores: number, tasks: number): number {
  return isPoolMode(mode) ? Math.min(workers, cores, tasks) : 1;
}

/** Failed tasks of a list of runs, with their index, message and repeat. */
export function failuresOf(runs: readonly Run[]): (TaskFailure & { repeat: number })[] {
  return runs.flatMap((run) =>
    run.tasks.filter((t) => !t.ok).map((t) => ({ index: t.index, message: t.error ?? 'failed', repeat: run.repeat })),
  );
}

/** Summarises every mode of a comparison, in the comparison's mode order. */
export function summarizeModes(comparison: Comparison): ModeSummary[] {
  const byMode = (mode: Mode) => comparison.runs.filter((r) => r.mode === mode);
  const seq = byMode('sequential');
  const seqMedian = seq.length ? summarize(seq.map((r) => r.wallMs)).median : undefined;
  return comparison.modes.map((mode) => {
    const runs = byMode(mode);
    const wall = summarize(runs.map((r) => r.wallMs));
    return {
      mode,
      workers: runs[0]?.workers ?? 1,
      wall,
      speedup: seqMedian === undefined ? undefined : seqMedian / wall.median,
      idealSpeedup: idealSpeedup(mode, runs[0]?.workers ?? 1, comparison.env.cores, comparison.tasks),
      startupMs: comparison.startupMs[mode] ?? 0,
      failures: failuresOf(runs),
    };
  });
}

/** Human-readable warnings: noisy timings, failed tasks. Empty when all is well. */
export function warnings(comparison: Comparison): string[] {
  const out: string[] = [];
  for (const s of summarizeModes(comparison)) {
    if (s.wall.n > 1 && s.wall.cv > NOISY_CV) {
      out.push(
        `${s.mode}: timings vary by ${(s.wall.cv * 100).toFixed(0)}% between repeats; ` +
          'close other programs or add repeats before trusting small differences',
      );
    }
    if (s.failures.length) {
      const first = s.failures[0]!;
      out.push(
        `${s.mode}: ${s.failures.length} task(s) failed; first: task ${first.index} (repeat ${first.repeat}): ${first.message}`,
      );
    }
  }
  return out;
}

/** Formats milliseconds for people: "850 ms", "4.20 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Lays out rows as a fixed-width text table (first row is the header). */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The comparison as a plain-text table: one row per mode. */
export function summaryTable(comparison: Comparison): string {
  const rows = [['mode', 'workers', 'median', 'min', 'max', 'cv', 'speedup', 'ideal', 'start-up', 'failed']];
  for (const s of summarizeModes(comparison)) {
    rows.push([
      s.mode,
      String(s.workers),
      formatMs(s.wall.median),
      formatMs(s.wall.min),
      formatMs(s.wall.max),
      `${(s.wall.cv * 100).toFixed(0)}%`,
      s.speedup === undefined ? '-' : `${s.speedup.toFixed(2)}x`,
      `${s.idealSpeedup}x`,
      s.startupMs ? formatMs(s.startupMs) : '-',
      String(s.failures.length),
    ]);
  }
  return textTable(rows);
}
