/** Reading a comparison: per-mode statistics, speedups, the ideal, failures, warnings. */
import type { TaskFailure } from './errors';
import type { Comparison } from './measure';
import { isPoolMode, type Mode } from './modes';
import type { PeerSeries } from './peers';
import type { Run } from './records';
import { NOISY_CV, summarize, type Summary } from './stats';

/** One mode of a comparison, or one peer, summarised. */
export interface ModeSummary {
  /** The mode, or the mode a peer does the same as. */
  mode: Mode;
  /** A peer's label ('Python ProcessPoolExecutor(10)'); absent for the modes. */
  label?: string;
  /** A peer's origin ('python', or 'node' for a pool timed end to end). */
  origin?: string;
  workers: number;
  wall: Summary;
  /**
   * Sequential median / this median (undefined without a sequential run). A peer is set
   * against the sequential run of its own origin: Python's against Python's sequential
   * program, Node's end-to-end pools against the sequential mode.
   */
  speedup?: number;
  /** The best speedup the machine allows for CPU work: min(workers, cores, tasks) for pools, else 1. */
  idealSpeedup: number;
  /** Pool start-up: measured apart for the modes; for a peer, included in its times (`startupIncluded`). */
  startupMs: number;
  /** True when the times include starting the pool (end-to-end and peer runs). */
  startupIncluded?: boolean;
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

/** The name of a summary row: a peer's label, else the mode. */
export function rowName(s: Pick<ModeSummary, 'mode' | 'label'>): string {
  return s.label ?? s.mode;
}

/** The sequential series a peer is set against: its origin's sequential peer, or for Node the sequential mode. */
function baselineOf(series: PeerSeries, comparison: Comparison): Run[] | undefined {
  const own = comparison.peers?.find((p) => p.origin === series.origin && p.mode === 'sequential');
  if (own) return own.runs;
  if (series.origin === 'node') {
    const seq = comparison.runs.filter((r) => r.mode === 'sequential');
    return seq.length ? seq : undefined;
  }
  return undefined;
}

/** Summarises every peer of a comparison (none without peers), in the order they were given. */
export function summarizePeers(comparison: Comparison): ModeSummary[] {
  return (comparison.peers ?? [])
    .filter((p) => p.runs.length > 0)
    .map((p) => {
      const wall = summarize(p.runs.map((r) => r.wallMs));
      const base = baselineOf(p, comparison);
      return {
        mode: p.mode,
        label: p.label,
        origin: p.origin,
        workers: p.workers,
        wall,
        speedup: base ? summarize(base.map((r) => r.wallMs)).median / wall.median : undefined,
        idealSpeedup: idealSpeedup(p.mode, p.workers, comparison.env.cores, comparison.tasks),
        startupMs: p.startupMs,
        startupIncluded: p.startupIncluded,
        failures: failuresOf(p.runs),
      };
    });
}

/** Every row of a comparison: the modes, then the peers. */
export function summarizeAll(comparison: Comparison): ModeSummary[] {
  return [...summarizeModes(comparison), ...summarizePeers(comparison)];
}

/** Human-readable warnings: skipped peers, noisy timings, failed tasks. Empty when all is well. */
export function warnings(comparison: Comparison): string[] {
  const out: string[] = [];
  for (const reason of new Set((comparison.skipped ?? []).map((s) => s.reason))) {
    const labels = (comparison.skipped ?? []).filter((s) => s.reason === reason).map((s) => s.label);
    out.push(`${labels.join(', ')}: not run; ${reason}`);
  }
  for (const series of comparison.peers ?? []) {
    const other = series.runs.find((r) => r.tasks.length !== comparison.tasks);
    if (other) {
      out.push(
        `${series.label}: ran ${other.tasks.length} tasks a run where the modes ran ${comparison.tasks}; its times do not compare`,
      );
    }
  }
  for (const s of summarizeAll(comparison)) {
    const name = rowName(s);
    if (s.wall.n > 1 && s.wall.cv > NOISY_CV) {
      out.push(
        `${name}: timings vary by ${(s.wall.cv * 100).toFixed(0)}% between repeats; ` +
          'close other programs or add repeats before trusting small differences',
      );
    }
    if (s.failures.length) {
      const first = s.failures[0]!;
      out.push(
        `${name}: ${s.failures.length} task(s) failed; first: task ${first.index} (repeat ${first.repeat}): ${first.message}`,
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

/**
 * The comparison as a plain-text table: one row per mode, then one per peer. Start-up is
 * measured apart for the modes' warm pools; a peer's ("incl.") is inside its times.
 */
export function summaryTable(comparison: Comparison): string {
  const rows = [['mode', 'workers', 'median', 'min', 'max', 'cv', 'runs', 'speedup', 'ideal', 'start-up', 'failed']];
  for (const s of summarizeAll(comparison)) {
    rows.push([
      rowName(s),
      String(s.workers),
      formatMs(s.wall.median),
      formatMs(s.wall.min),
      formatMs(s.wall.max),
      `${(s.wall.cv * 100).toFixed(0)}%`,
      String(s.wall.n),
      s.speedup === undefined ? '-' : `${s.speedup.toFixed(2)}x`,
      `${s.idealSpeedup}x`,
      s.startupMs ? `${formatMs(s.startupMs)}${s.startupIncluded ? ' incl.' : ''}` : '-',
      String(s.failures.length),
    ]);
  }
  const skipped = (comparison.skipped ?? []).map((s) => `not run: ${s.label}: ${s.reason}`);
  return [textTable(rows), ...skipped].join('\n');
}
