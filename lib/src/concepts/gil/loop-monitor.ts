/**
 * Watching the event loop: how late it runs what it was asked to run. Three views, sampled
 * over time on the shared clock:
 * - perf_hooks monitorEventLoopDelay: how much later than due its own timer fired;
 * - eventLoopUtilization: the share of time the loop was busy, not waiting for events;
 * - a heartbeat: a timer re-armed every `heartbeatMs`, and how late each beat came.
 * While JavaScript runs on the loop's thread, none of them can run: the samples taken
 * right after show the whole stall.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { now } from '../../core/clock';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';

/** Options of `monitorLoop`. */
export interface LoopMonitorOptions {
  /** Resolution of the delay histogram's timer in ms (default 5, at least 1). */
  resolutionMs?: number;
  /** Heartbeat period in ms (default 10). */
  heartbeatMs?: number;
  /** How often the delay and utilization are read, in ms (default 25). */
  sampleMs?: number;
}

/** One reading of the loop's delay histogram and utilization, covering the time since the last one. */
export interface LoopSample {
  /** When it was taken (shared clock, ms). */
  t: number;
  /** The window it covers, ms (longer than `sampleMs` when the loop was blocked). */
  windowMs: number;
  /**
   * How late the histogram's timer fired, summed over its firings recorded in this window,
   * ms: about 0 while the loop is free, about the length of a stall in the window that
   * recorded it.
   */
  delayMs: number;
  /** Share of the window the loop was busy, 0 to 1. */
  utilization: number;
}

/** One heartbeat: when it fired and how late. */
export interface Beat {
  t: number;
  latenessMs: number;
}

/** Everything a monitor saw. */
export interface LoopTrace {
  start: number;
  end: number;
  resolutionMs: number;
  heartbeatMs: number;
  sampleMs: number;
  samples: LoopSample[];
  beats: Beat[];
  /** The whole watch, from the histogram: worst, median and 99th-percentile delay, ms. */
  delay: { maxMs: number; p50Ms: number; p99Ms: number };
}

/** A running monitor; `stop()` ends it and returns what it saw. */
export interface LoopMonitor {
  stop(): LoopTrace;
}

/** Defaults of the monitor. */
export const LOOP_MONITOR_DEFAULTS = { resolutionMs: 5, heartbeatMs: 10, sampleMs: 25 } as const;

/** Starts watching this thread's event loop. Always `stop()` it (it is closed on interrupt too). */
export function monitorLoop(options: LoopMonitorOptions = {}): LoopMonitor {
  const resolutionMs = check.integer(
    'resolutionMs',
    options.resolutionMs ?? LOOP_MONITOR_DEFAULTS.resolutionMs,
    1,
    60_000,
  );
  const heartbeatMs = check.finite('heartbeatMs', options.heartbeatMs ?? LOOP_MONITOR_DEFAULTS.heartbeatMs, 1, 60_000);
  const sampleMs = check.finite('sampleMs', options.sampleMs ?? LOOP_MONITOR_DEFAULTS.sampleMs, 1, 60_000);
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs });
  const samples: LoopSample[] = [];
  const beats: Beat[] = [];
  const start = now();
  let lastT = start;
  let lastElu = performance.eventLoopUtilization();
  histogram.enable();

  // The histogram records the time between its timer's firings, so the delay is what
  // exceeds the resolution. It is never reset: a reset also forgets when the timer last
  // fired, and a stall that ends just before a reset would go unrecorded. A window's delay
  // is the growth of the recorded total (mean x count) beyond count x resolution.
  let lastCount = 0;
  let lastSumMs = 0;
  const sample = () => {
    const t = now();
    const elu = performance.eventLoopUtilization();
    const count = histogram.count;
    const sumMs = count > 0 ? (histogram.mean * count) / 1e6 : 0;
    samples.push({
      t,
      windowMs: t - lastT,
      delayMs: Math.max(0, sumMs - lastSumMs - (count - lastCount) * resolutionMs),
      utilization: performance.eventLoopUtilization(elu, lastElu).utilization,
    });
    lastCount = count;
    lastSumMs = sumMs;
    lastT = t;
    lastElu = elu;
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
  let heartbeat: NodeJS.Timeout;
  const beat = () => {
    const t = now();
    beats.push({ t, latenessMs: Math.max(0, t - due) });
    due = t + heartbeatMs;
    heartbeat = setTimeout(beat, heartbeatMs);
  };
  heartbeat = setTimeout(beat, heartbeatMs);

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
    const delay = {
      maxMs: ms(histogram.max),
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
    };
    trace = { start, end: now(), resolutionMs, heartbeatMs, sampleMs, samples, beats, delay };
    return trace;
  };
  const release = track({ close: async () => void stop() });
  return { stop };
}

/** The worst numbers of a trace, optionally within [from, to] (shared clock). */
export function loopStats(
  trace: LoopTrace,
  from = -Infinity,
  to = Infinity,
): { maxDelayMs: number; maxLatenessMs: number; beats: number } {
  // A sample covers the window before it: count it if the windows overlap.
  const samples = trace.samples.filter((s) => s.t >= from && s.t - s.windowMs <= to);
  const beats = trace.beats.filter((b) => b.t >= from && b.t - b.latenessMs - trace.heartbeatMs <= to);
  return {
    maxDelayMs: Math.max(0, ...samples.map((s) => s.delayMs)),
    maxLatenessMs: Math.max(0, ...beats.map((b) => b.latenessMs)),
    beats: beats.length,
  };
}
