/** What the embedded server saw: one record per request, and the in-flight count over time. */

/** One request as the server saw it, on the shared clock (epoch ms). */
export interface ServerRecord {
  /** When the request arrived. */
  start: number;
  /** When the answer was sent or the connection closed; null while still open. */
  end: number | null;
  /** Status sent (0 when none was: a hung or aborted request). */
  status: number;
  /** ok: 200 sent; fault: an injected 500; hung: never answered; aborted: the client went away first. */
  outcome: 'ok' | 'fault' | 'hung' | 'aborted' | 'open';
}

/**
 * The number of requests in flight over time, as a step function: from `t` on, `inflight`
 * were open. Requests still open count until `until` (default: the last event).
 */
export function inflightSeries(records: readonly ServerRecord[], until?: number): { t: number; inflight: number }[] {
  const events = records.flatMap((r): [number, number][] => {
    const end = r.end ?? until;
    return end === undefined
      ? [[r.start, 1]]
      : [
          [r.start, 1],
          [end, -1],
        ];
  });
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
