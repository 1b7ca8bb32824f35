/**
 * Watching the event loop, sampled on the shared clock: perf_hooks' event-loop delay and
 * utilization, and a heartbeat timer's lateness. None of them runs while JavaScript holds the
 * loop: the samples right after show the stall.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { now } from '../../core/clock';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';

/**
 * Everything a monitor saw. A sample covers the `windowMs` before `t`: the delay recorded in it
 * (about the length of a stall in it) and the share of it the loop was busy.
 */
export interface LoopTrace {
  start: number;
  end: number;
  resolutionMs: number;
  heartbeatMs: number;
  sampleMs: number;
  samples: { t: number; windowMs: number; delayMs: number; utilization: number }[];
  beats: { t: number; latenessMs: number }[];
  delay: { maxMs: number; p50Ms: number; p99Ms: number };
}

/**
 * Starts watching this thread's event loop (histogram resolution 5 ms, heartbeat every 10 ms, a
 * sample every 25 ms by default). Always `stop()` it; it returns the trace, the same each time.
 */
export function monitorLoop(options: { resolutionMs?: number; heartbeatMs?: number; sampleMs?: number } = {}) {
  const resolutionMs = check.integer('resolutionMs', options.resolutionMs ?? 5, 1, 60_000);
  const heartbeatMs = check.finite('heartbeatMs', options.heartbeatMs ?? 10, 1, 60_000);
  const sampleMs = check.finite('sampleMs', options.sampleMs ?? 25, 1, 60_000);
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  const samples: LoopTrace['samples'] = [];
  const beats: LoopTrace['beats'] = [];
  const start = now();
  let [lastT, lastElu, lastCount, lastSumMs] = [start, performance.eventLoopUtilization(), 0, 0];
  histogram.enable();

  // The histogram records the time between its timer's firings: a window's delay is the growth
  // of its total (mean x count) beyond count x resolution. Never reset: a reset forgets when the
  // timer last fired, and a stall ending just before it would go unrecorded.
  const sample = () => {
    const t = now();
    const elu = performance.eventLoopUtilization();
    const count = histogram.count;
    const sumMs = count > 0 ? (histogram.mean * count) / 1e6 : 0;
    const delayMs = Math.max(0, sumMs - lastSumMs - (count - lastCount) * resolutionMs);
    const { utilization } = performance.eventLoopUtilization(elu, lastElu);
    samples.push({ t, windowMs: t - lastT, delayMs, utilization });
    [lastT, lastElu, lastCount, lastSumMs] = [t, elu, count, sumMs];
  };
  // Read in the check phase, after every due timer ran (the histogram's own among them).
  let pending: NodeJS.Immediate | undefined;
  const sampler = setInterval(() => {
    pending ??= setImmediate(() => {
      pending = undefined;
      sample();
    });
  }, sampleMs);

  let due = now() + heartbeatMs;
  const beat = () => {
    const t = now();
    beats.push({ t, latenessMs: Math.max(0, t - due) });
    due = t + heartbeatMs;
    heartbeat = setTimeout(beat, heartbeatMs);
  };
  let heartbeat = setTimeout(beat, heartbeatMs);

  let trace: LoopTrace | undefined;
  const stop = (): LoopTrace => {
    if (trace) return trace;
    clearInterval(sampler);
    if (pending) clearImmediate(pending);
    sample();
    clearTimeout(heartbeat);
    histogram.disable();
    release();
    const ms = (ns: number) => (histogram.count > 0 ? Math.max(0, ns / 1e6 - resolutionMs) : 0);
    const percentile = (p: number) => ms(histogram.percentile(p));
    const delay = { maxMs: ms(histogram.max), p50Ms: percentile(50), p99Ms: percentile(99) };
    return (trace = { start, end: now(), resolutionMs, heartbeatMs, sampleMs, samples, beats, delay });
  };
  const release = track({ close: async () => void stop() });
  return { stop };
}

/** The worst delay and heartbeat lateness of a trace, within [from, to] (shared clock) if given. */
export function loopStats(trace: LoopTrace, from = -Infinity, to = Infinity) {
  // A sample or a beat covers the window before it: count it if the windows overlap.
  const samples = trace.samples.filter((s) => s.t >= from && s.t - s.windowMs <= to);
  const beats = trace.beats.filter((b) => b.t >= from && b.t - b.latenessMs - trace.heartbeatMs <= to);
  return {
    maxDelayMs: Math.max(0, ...samples.map((s) => s.delayMs)),
    maxLatenessMs: Math.max(0, ...beats.map((b) => b.latenessMs)),
    beats: beats.length,
  };
}
