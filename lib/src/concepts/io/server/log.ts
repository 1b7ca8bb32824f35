/** What the embedded server saw: one record per request, and the in-flight count over time. */

/**
 * One request as the server saw it, on the shared clock: arrival, and the answer sent or the
 * connection closed (null while open); the status sent (0 for none); and the outcome (fault: an
 * injected 500; hung: never answered; aborted: the client went away first).
 */
export interface ServerRecord {
  start: number;
  end: number | null;
  status: number;
  outcome: 'ok' | 'fault' | 'hung' | 'aborted' | 'open';
}

/** Requests in flight over time, a step function: from `t` on, `inflight` were open (one still open, to the end). */
export function inflightSeries(records: readonly ServerRecord[]): { t: number; inflight: number }[] {
  const events: [number, number][] = records.map((r) => [r.start, 1]);
  for (const r of records) if (r.end !== null) events.push([r.end, -1]);
  // At equal times departures go first, so back-to-back requests do not count as overlapping.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const points: { t: number; inflight: number }[] = [];
  let inflight = 0;
  for (const [t, delta] of events) {
    inflight += delta;
    if (points.at(-1)?.t === t) points.at(-1)!.inflight = inflight;
    else points.push({ t, inflight });
  }
  return points;
}

/** The most requests the server had in flight at once. */
export function peakInflight(records: readonly ServerRecord[]): number {
  return inflightSeries(records).reduce((peak, p) => Math.max(peak, p.inflight), 0);
}

/** Time-weighted mean of the in-flight count between the first arrival and the last departure. */
export function meanInflight(records: readonly ServerRecord[]): number {
  const points = inflightSeries(records);
  const span = (points.at(-1)?.t ?? 0) - (points[0]?.t ?? 0);
  if (!(span > 0)) return 0;
  return points.slice(1).reduce((area, p, i) => area + points[i]!.inflight * (p.t - points[i]!.t), 0) / span;
}
