/** Reading an I/O experiment: each variant's times, bound, failures by kind, and what the server saw. */
import { ParameterError } from '../../core/errors';
import type { IoExperiment } from './run';
import type { Mode } from '../../core/modes';
import { meanInflight, peakInflight } from './server/log';
import { summarize } from '../../core/stats';
import { failuresOf, textTable } from '../../core/summary';

/** One variant's numbers, as the charts and the closing text read them. */
export interface IoVariantSummary {
  label: string;
  mode: Mode;
  /** 'python' for the course's Python programs. */
  origin?: string;
  workers: number;
  concurrency: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Each timed run's wall time, in the order they ran. */
  runsMs: number[];
  boundMs?: number;
  /** Requests made over all timed runs, and how many failed, by kind. */
  total: number;
  failed: number;
  httpErrors: number;
  timeouts: number;
  otherErrors: number;
  firstError?: string;
  /** The server's peak and mean in-flight count over the timed runs (undefined for real URLs). */
  peakInflight?: number;
  meanInflight?: number;
  course?: string;
}

/** Sorts a failure message into its kind. */
export function failureKind(message: string): 'http' | 'timeout' | 'other' {
  if (/answered HTTP \d+/.test(message)) return 'http';
  if (/timed out/.test(message)) return 'timeout';
  return 'other';
}

/** Every variant's numbers. */
export function ioSummaries(experiment: IoExperiment): IoVariantSummary[] {
  return experiment.variants.map((v) => {
    const runs = v.comparison.runs;
    const wall = summarize(runs.map((r) => r.wallMs));
    const failures = failuresOf(runs);
    const kinds = failures.map((f) => failureKind(f.message));
    const withServer = v.serverRecords.some((r) => r.length > 0);
    return {
      label: v.variant.label,
      mode: v.variant.mode,
      ...(v.variant.origin ? { origin: v.variant.origin } : {}),
      workers: runs[0]?.workers ?? 1,
      concurrency: v.concurrency,
      medianMs: wall.median,
      minMs: wall.min,
      maxMs: wall.max,
      runsMs: [...runs].sort((a, b) => a.repeat - b.repeat).map((r) => r.wallMs),
      boundMs: v.boundMs,
      total: runs.reduce((n, r) => n + r.tasks.length, 0),
      failed: failures.length,
      httpErrors: kinds.filter((k) => k === 'http').length,
      timeouts: kinds.filter((k) => k === 'timeout').length,
      otherErrors: kinds.filter((k) => k === 'other').length,
      firstError: failures[0]?.message,
      peakInflight: withServer ? Math.max(...v.serverRecords.map(peakInflight)) : undefined,
      meanInflight: withServer ? summarize(v.serverRecords.map(meanInflight)).median : undefined,
      course: v.variant.course,
    };
  });
}

/** One variant's summary by label; throws naming the labels there are. */
export function ioSummary(experiment: IoExperiment, label: string): IoVariantSummary {
  const all = ioSummaries(experiment);
  const found = all.find((s) => s.label === label);
  if (!found) throw new ParameterError('label', `one of ${all.map((s) => s.label).join(', ')}`, label);
  return found;
}

/** Failures per variant as a text table: every request accounted for, by kind. */
export function failureTable(experiment: IoExperiment): string {
  const rows = [['variant', 'requests', 'ok', 'HTTP errors', 'timeouts', 'other', 'first error']];
  for (const s of ioSummaries(experiment)) {
    rows.push([
      s.label,
      String(s.total),
      String(s.total - s.failed),
      String(s.httpErrors),
      String(s.timeouts),
      String(s.otherErrors),
      s.firstError ?? '-',
    ]);
  }
  return textTable(rows);
}
