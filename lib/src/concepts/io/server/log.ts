/** What the embedded server saw: one record per request, and the in-flight count over time. */

/** How a request ended on the server's side. */
export type ServerOutcome = 'ok' | 'fault' | 'hung' | 'aborted' | 'open';

/** One request as the server saw it, on the shared clock (epoch ms). */
export interface ServerRecord {
  /** When the request arrived. */
  start: number;
  /** When the answer was sent or the connection closed; null while still open. */
  end: number | null;
  /** Status sent (0 when none was: a hung or aborted request). */
  status: number;
  /** ok: 200 sent; fault: an injected 500; hung: never answered; aborted: the client went away first. */
  outcome: ServerOutcome;
}

/** One step of the in-flight count: from `t` (ms) on, `inflight` requests were open. */
export interface InflightPoint {
  t: number;
  inflight: number;
}

/**
 * The number of requests in flight over time, as a step function: a point at every arrival
 * and every departure. Requests still open count until `until` (default: the last event).
 */
export function inflightSeries(records: readonly ServerRecord[], until?: number): InflightPoint[] {
  const events: [number, number][] = [];
  for (const r of records) {
    events.push([r.start, +1]);
    const end = r.end ?? until;
    if (end !== undefined) events.push([end, -1]);
  }
  // At equal times departures go first, so back-to-back requests do not count as overlapping.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const points: InflightPoint[] = [];
  let inflight = 0;
  for (const [t, delta] of events) {
    inflight += delta;
    const last = points[points.length - 1];
    if (last && last.t === t) last.inflight = inflight;
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
  if (points.length < 2) return 0;
  let area = 0;
  for (let i = 1; i < points.length; i++) area += points[i - 1]!.inflight * (points[i]!.t - points[i - 1]!.t);
  const span = points[points.length - 1]!.t - points[0]!.t;
  return span > 0 ? area / span : 0;
}
