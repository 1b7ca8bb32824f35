/** Reading an I/O experiment: each way's times, bound, failures by kind, and what the server saw. */
import { runsOf } from '../../core/measure';
import { summaries, textTable } from '../../core/summary';
import { MAX_REDIRECTS } from './http';
import { boundMs, concurrencyOf, type IoMeasured } from './run';
import { peakInflight, type ServerRecord } from './server/log';

/** One way's numbers, as the charts and the findings read them. */
export type IoWay = ReturnType<typeof ioWays>[number];

function failureKind(message: string): 'http' | 'timeout' | 'other' {
  if (/answered HTTP \d+/.test(message) || /HTTPError|\b[45]\d\d\b.*(Error|error)/.test(message)) return 'http';
  if (/timed? ?out/i.test(message)) return 'timeout';
  return 'other';
}

/** The final statuses, after redirects, and how many of each: '200 ×298, 302 ×2'. */
function statusCounts(values: readonly unknown[]): string {
  const statuses = values.map((v) => (v as { status?: unknown } | undefined)?.status);
  const counts = new Map<number, number>();
  for (const s of statuses.filter((s): s is number => typeof s === 'number').sort((a, b) => a - b))
    counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status} ×${n}`).join(', ') || '-';
}

/** Every way's numbers, in the comparison's row order. */
export function ioWays(m: IoMeasured) {
  return summaries(m.comparison).map((s) => {
    const runs = runsOf(m.comparison, s.label).sort((a, b) => a.repeat - b.repeat);
    const variant = m.variants.find((v) => v.label === s.label);
    const client = s.origin === 'python' ? 'python' : (variant?.workload ?? 'io');
    const concurrency = concurrencyOf(
      { ...s, workload: client === 'ioBlocking' ? 'ioBlocking' : 'io', connections: variant?.connections },
      m.requests,
    );
    const kinds = s.failures.map((f) => failureKind(f.message));
    const records = runs.map((r) => (r.detail?.watch as ServerRecord[] | undefined) ?? []);
    return {
      ...s,
      client,
      concurrency, // requests it can have in flight at once, by design
      medianMs: s.wall.median,
      minMs: s.wall.min,
      maxMs: s.wall.max,
      runsMs: runs.map((r) => r.wallMs), // in the order they ran
      boundMs: m.latencyMs === undefined ? undefined : boundMs(m.requests, concurrency, m.latencyMs, m.jitterMs),
      total: runs.reduce((n, r) => n + r.tasks.length, 0), // requests made over all timed runs
      failed: s.failures.length,
      httpErrors: kinds.filter((k) => k === 'http').length,
      timeouts: kinds.filter((k) => k === 'timeout').length,
      otherErrors: kinds.filter((k) => k === 'other').length,
      firstError: s.failures[0]?.message,
      statuses: statusCounts(runs.flatMap((r) => r.results)),
      peakInflight: records.some((r) => r.length) ? Math.max(...records.map(peakInflight)) : undefined,
      serverRecords: records, // what the server recorded during each timed run
    };
  });
}

/** Every request of every way accounted for: answered (with the final statuses), or failed by kind. */
export function failureTable(m: IoMeasured): string {
  const rows = [['way', 'requests', 'ok', 'final statuses', 'HTTP errors', 'timeouts', 'other', 'first error']];
  for (const s of ioWays(m)) {
    const counts = [s.total, s.total - s.failed, s.statuses, s.httpErrors, s.timeouts, s.otherErrors];
    rows.push([s.label, ...counts.map(String), s.firstError ?? '-']);
  }
  return `${textTable(rows)}\nEvery Node client and Python's requests and aiohttp follow redirects, at most ${MAX_REDIRECTS}; a status above is the last answer's.`;
}
