/** Reading an I/O experiment: each way's times, bound, failures by kind, and what the server saw. */
import { runsOf } from '../../core/measure';
import type { Mode } from '../../core/records';
import { summaries, textTable } from '../../core/summary';
import { MAX_REDIRECTS } from './http';
import { boundMs, concurrencyOf, type IoMeasured } from './run';
import { meanInflight, peakInflight, type ServerRecord } from './server';

/** One way's numbers, as the charts and the findings read them. */
export interface IoWay {
  label: string;
  mode: Mode;
  /** 'python' for the course's Python programs, else 'node'. */
  origin: string;
  /** 'io' (undici, awaited) or 'ioBlocking' (the blocking client); Python's by mode. */
  client: 'io' | 'ioBlocking' | 'python';
  workers: number;
  /** Requests it can have in flight at once, by design. */
  concurrency: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Each timed run's wall time, in the order they ran. */
  runsMs: number[];
  /** ceil(requests / concurrency) x (latency - jitter), with the embedded server. */
  boundMs?: number;
  /** Requests made over all timed runs, and how many failed, by kind. */
  total: number;
  failed: number;
  httpErrors: number;
  timeouts: number;
  otherErrors: number;
  firstError?: string;
  /** The final HTTP status of the answered requests (after redirects), counted: '200 ×300'. */
  statuses: string;
  /** The server's peak and mean in-flight count over the timed runs (undefined for real URLs). */
  peakInflight?: number;
  meanInflight?: number;
  /** What the server recorded during each timed run. */
  serverRecords: ServerRecord[][];
}

/** Sorts a failure message into its kind. */
export function failureKind(message: string): 'http' | 'timeout' | 'other' {
  if (/answered HTTP \d+/.test(message) || /HTTPError|\b[45]\d\d\b.*(Error|error)/.test(message)) return 'http';
  if (/timed? ?out/i.test(message)) return 'timeout';
  return 'other';
}

/** The final statuses among a row's answers (`{ status }` values; failures are undefined), counted: '200 ×98, 302 ×2'. */
export function statusCounts(values: readonly unknown[]): string {
  const counts = new Map<string, number>();
  for (const v of values) {
    const status = (v as { status?: unknown } | undefined)?.status;
    if (typeof status !== 'number') continue;
    counts.set(String(status), (counts.get(String(status)) ?? 0) + 1);
  }
  if (counts.size === 0) return '-';
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status} ×${n}`)
    .join(', ');
}

/** Every way's numbers, in the comparison's row order. */
export function ioWays(m: IoMeasured): IoWay[] {
  return summaries(m.comparison).map((s) => {
    const runs = runsOf(m.comparison, s.label).sort((a, b) => a.repeat - b.repeat);
    const variant = m.variants.find((v) => v.label === s.label);
    const client = s.origin === 'python' ? 'python' : (variant?.workload ?? 'io');
    const concurrency = concurrencyOf(
      {
        mode: s.mode,
        workload: client === 'ioBlocking' ? 'ioBlocking' : 'io',
        workers: s.workers,
        connections: variant?.connections,
        origin: s.origin,
      },
      m.requests,
    );
    const kinds = s.failures.map((f) => failureKind(f.message));
    const records = runs.map((r) => (r.detail?.watch as ServerRecord[] | undefined) ?? []);
    const seen = records.some((r) => r.length > 0);
    return {
      label: s.label,
      mode: s.mode,
      origin: s.origin,
      client,
      workers: s.workers,
      concurrency,
      medianMs: s.wall.median,
      minMs: s.wall.min,
      maxMs: s.wall.max,
      runsMs: runs.map((r) => r.wallMs),
      boundMs: m.latencyMs === undefined ? undefined : boundMs(m.requests, concurrency, m.latencyMs, m.jitterMs),
      total: runs.reduce((n, r) => n + r.tasks.length, 0),
      failed: s.failures.length,
      httpErrors: kinds.filter((k) => k === 'http').length,
      timeouts: kinds.filter((k) => k === 'timeout').length,
      otherErrors: kinds.filter((k) => k === 'other').length,
      firstError: s.failures[0]?.message,
      statuses: statusCounts(runs.flatMap((r) => r.results)),
      peakInflight: seen ? Math.max(...records.map(peakInflight)) : undefined,
      meanInflight: seen ? records.map(meanInflight).sort((a, b) => a - b)[records.length >> 1] : undefined,
      serverRecords: records,
    };
  });
}

/**
 * Every request of every way accounted for: answered (with the final statuses), or failed by
 * kind, with the first failure's words. Every client follows redirects as Python's
 * `requests` does (at most 30), which the line under the table says.
 */
export function failureTable(m: IoMeasured): string {
  const rows = [['way', 'requests', 'ok', 'final statuses', 'HTTP errors', 'timeouts', 'other', 'first error']];
  for (const s of ioWays(m)) {
    rows.push([
      s.label,
      String(s.total),
      String(s.total - s.failed),
      s.statuses,
      String(s.httpErrors),
      String(s.timeouts),
      String(s.otherErrors),
      s.firstError ?? '-',
    ]);
  }
  return `${textTable(rows)}\nEvery Node client and Python's requests and aiohttp follow redirects, at most ${MAX_REDIRECTS}; a status above is the last answer's.`;
}
