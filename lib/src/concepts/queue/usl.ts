/**
 * Gunther's Universal Scalability Law: the throughput of N workers,
 *
 *   X(N) = λN / (1 + σ(N − 1) + κN(N − 1))
 *
 * λ is one worker's throughput; σ (contention) the share of each task that must wait its turn
 * for something all workers share; κ (coherency) what it costs to keep N workers in agreement,
 * which grows with every pair of them. With κ = 0 it is Amdahl's law, throughput levelling off
 * at λ/σ; with κ > 0 throughput peaks at N* = √((1 − σ)/κ) and then falls.
 */
import { taskTimes } from '../../core/evidence';
import { ParameterError } from '../../core/errors';
import { runsOf, type Comparison } from '../../core/measure';
import { median } from '../../core/stats';
import * as check from '../../core/validate';
import { brokerMsPerJob } from './run';

/** The three parameters of the law: λ tasks per second for one worker, σ and κ >= 0. */
export type Usl = { lambda: number; sigma: number; kappa: number };

/** Throughput of `n` workers under the law (tasks per second). */
export function uslThroughput(model: Usl, n: number): number {
  return (model.lambda * n) / (1 + model.sigma * (n - 1) + model.kappa * n * (n - 1));
}

/** Where throughput peaks (Infinity when κ = 0: it only levels off). */
export function uslPeak(model: Usl): number {
  return model.kappa > 0 ? Math.sqrt(Math.max(0, 1 - model.sigma) / model.kappa) : Infinity;
}

/**
 * The worker count from which one more worker adds less than half a worker's throughput (or
 * throughput falls): where adding machines stops paying. Infinity if it never does, up to `limit`.
 */
function uslStopsPaying(model: Usl, limit = 1_000_000): number {
  const pays = (n: number) => uslThroughput(model, n + 1) - uslThroughput(model, n) >= model.lambda / 2;
  if (pays(limit)) return Infinity;
  // The gain only falls with n: bisect for the first count where it no longer pays.
  let [lo, hi] = [0, limit];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (pays(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Fits the law to measured (workers, throughput) points, the usual way: λ is the throughput
 * of one worker (the point at N = 1, which must be there), then σ and κ, both >= 0, by least
 * squares on the linearised form N·λ/X(N) − 1 = σ(N − 1) + κN(N − 1).
 */
export function fitUsl(points: readonly { n: number; x: number }[]): Usl {
  const one = points.filter((p) => p.n === 1);
  if (one.length === 0) throw new Error('fitUsl needs a measured point at 1 worker');
  const lambda = one.reduce((s, p) => s + p.x, 0) / one.length;
  const rows = points
    .filter((p) => p.n > 1 && p.x > 0)
    .map((p) => ({ a: p.n - 1, b: p.n * (p.n - 1), y: (p.n * lambda) / p.x - 1 }));
  if (rows.length === 0) return { lambda, sigma: 0, kappa: 0 };
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  const error = ([sigma, kappa]: [number, number]) => sum((r) => (sigma * r.a + kappa * r.b - r.y) ** 2);
  const saa = sum((r) => r.a * r.a);
  const sbb = sum((r) => r.b * r.b);
  const sab = sum((r) => r.a * r.b);
  const say = sum((r) => r.a * r.y);
  const sby = sum((r) => r.b * r.y);
  // σ alone, κ alone, and both (the normal equations), each kept only where non-negative.
  const candidates: [number, number][] = [
    [0, 0],
    [Math.max(0, say / saa), 0],
    [0, Math.max(0, sby / sbb)],
  ];
  const det = saa * sbb - sab * sab;
  const both: [number, number] = [(say * sbb - sby * sab) / det, (sby * saa - say * sab) / det];
  if (Math.abs(det) > 1e-12 && both.every((v) => v >= 0)) candidates.push(both);
  const [sigma, kappa] = candidates.reduce((best, c) => (error(c) < error(best) ? c : best));
  return { lambda, sigma, kappa };
}

/** What the law says about workers on many machines, each on a core of its own. */
export type DistributedModel = ReturnType<typeof distributedModel>;

/**
 * The law for workers on separate machines, built from measured parts (ms): each worker loops over
 * take-a-job (the broker's round trip, measured with a task that does nothing, plus the network's, a
 * parameter), run it (`taskMs`), report it; the broker is one thread that spends `brokerBusyMs` on every
 * job (contention) and `brokerBusyPerWorkerMs` more per job for every extra worker it keeps track of (coherency).
 */
export function distributedModel(parts: {
  taskMs: number;
  brokerRoundTripMs: number;
  networkRttMs: number;
  brokerBusyMs: number;
  brokerBusyPerWorkerMs: number;
}) {
  const cycleMs = parts.taskMs + parts.brokerRoundTripMs + parts.networkRttMs;
  const usl: Usl = {
    lambda: 1000 / cycleMs,
    sigma: Math.min(1, parts.brokerBusyMs / cycleMs),
    kappa: parts.brokerBusyPerWorkerMs / cycleMs,
  };
  return {
    ...parts,
    usl,
    cycleMs,
    /** Most jobs per second the broker's one thread can serve. */
    brokerCeiling: parts.brokerBusyMs > 0 ? 1000 / parts.brokerBusyMs : Infinity,
    peak: uslPeak(usl),
    stopsPaying: uslStopsPaying(usl),
  };
}

/**
 * The law for workers on many machines, from this run's measurements: one task's work (on one
 * queue worker), the round trip of a task that does nothing through the broker, the broker's
 * own time per job and its growth with the number of workers (a least-squares line, slope >= 0,
 * over the scaling run's queue rows), and `networkRttMs` for the network this machine did not have.
 */
export function onPaper(scaling: Comparison, trip: Comparison, networkRttMs: number): DistributedModel {
  check.finite('networkRttMs', networkRttMs, 0, 60_000);
  const queueRows = scaling.rows.filter((r) => r.mode === 'queue');
  const one = queueRows.find((r) => r.workers === 1) ?? queueRows[0];
  if (!one) {
    const labels = scaling.rows.map((r) => r.label).join(', ');
    throw new ParameterError('scaling', 'a comparison with queue rows (queue.scaling)', labels);
  }
  const tripQueue = trip.rows.find((r) => r.mode === 'queue')!;
  const points = queueRows.map((r) => ({ n: r.workers - 1, y: median(brokerMsPerJob(scaling, r.label)) }));
  const mean = (f: (p: { n: number; y: number }) => number) => points.reduce((s, p) => s + f(p), 0) / points.length;
  const [mx, my] = [mean((p) => p.n), mean((p) => p.y)];
  const sxx = mean((p) => (p.n - mx) ** 2);
  const tasks = taskTimes(runsOf(scaling, one.label));
  return distributedModel({
    // NaN when every task of the one-worker row failed: there is no task to model.
    taskMs: tasks.length ? median(tasks) : NaN,
    brokerRoundTripMs: median(runsOf(trip, tripQueue.label).map((r) => r.wallMs / r.tasks.length)),
    networkRttMs,
    brokerBusyMs: median(brokerMsPerJob(trip, tripQueue.label)),
    brokerBusyPerWorkerMs: Math.max(0, sxx > 0 ? mean((p) => (p.n - mx) * (p.y - my)) / sxx : 0),
  });
}
