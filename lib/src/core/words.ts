/**
 * The small vocabulary every "what we measured" sentence is written in, so that no sentence
 * can contradict the numbers beside it:
 * - direction first: "2.1x faster" or "1.4x slower", never "0.7x faster";
 * - noise-aware: two sets of runs that overlap, or whose difference is inside the spread the
 *   repeats measured, are "no measurable difference", with the spread named;
 * - a result past a physical limit is named as such (above the ideal speedup for these cores,
 *   below the latency bound): noise in the baseline, never an achievement;
 * - counts and plurals follow the numbers: "1 core", "3 robots".
 */

/** "1 core", "3 cores"; `plural` defaults to `singular` + "s". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** A ratio as the reader says it: 2.1x, 1.35x, 12x. */
export function times(ratio: number): string {
  if (!Number.isFinite(ratio)) return `${ratio}x`;
  if (ratio >= 9.95) return `${ratio.toFixed(0)}x`;
  return `${ratio >= 1.995 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** Repeated timings of one thing, in ms. */
export interface Timings {
  /** Every timed run (at least one). */
  runs: readonly number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * The relative spread of a set of runs, over their median: the whole range for up to three
 * runs, the middle half (interquartile range) from four on, so that one outlier on a shared
 * machine does not hide a clear difference. 0 for one run.
 */
export function spreadOf(runs: readonly number[]): number {
  if (runs.length < 2) return 0;
  const sorted = [...runs].sort((a, b) => a - b);
  const m = median(sorted);
  const width =
    sorted.length <= 3 ? sorted[sorted.length - 1]! - sorted[0]! : quantile(sorted, 0.75) - quantile(sorted, 0.25);
  return m > 0 ? width / m : 0;
}

/** How `a` compared with `b`, both timed (smaller is faster). */
export interface TimeComparison {
  /** 'faster' or 'slower' when the difference is beyond the noise, else 'same'. */
  direction: 'faster' | 'slower' | 'same';
  /** How many times faster or slower (>= 1), median against median. */
  factor: number;
  /** The larger of the two relative spreads (spreadOf). */
  spread: number;
  /** e.g. "2.1x faster", "1.4x slower", "no measurable difference (the runs spread 12%)". */
  words: string;
}

/**
 * Compares two timed things, medians against medians. The difference counts only when the
 * factor exceeds 1 + the larger spread of the two (with a floor of 3%, below which runs on a
 * shared machine say nothing; 10% when there is one run each, which measures no spread).
 */
export function compareTimes(a: Timings, b: Timings): TimeComparison {
  const [ma, mb] = [median(a.runs), median(b.runs)];
  const spread = Math.max(spreadOf(a.runs), spreadOf(b.runs));
  const factor = ma <= mb ? mb / ma : ma / mb;
  // One run each measures no spread at all: ask for 10% before calling it a difference.
  const floor = a.runs.length > 1 || b.runs.length > 1 ? 0.03 : 0.1;
  if (factor <= 1 + Math.max(spread, floor)) {
    const words =
      a.runs.length > 1 || b.runs.length > 1
        ? `no measurable difference (the runs spread ${(spread * 100).toFixed(0)}%)`
        : `no measurable difference (one run each, ${times(factor)} apart)`;
    return { direction: 'same', factor, spread, words };
  }
  const direction = ma < mb ? 'faster' : 'slower';
  return { direction, factor, spread, words: `${times(factor)} ${direction}` };
}

/**
 * A speedup read against the ideal for this machine. Above the ideal it is named as noise in
 * the baseline; below 1 it is a slowdown, said as such.
 */
export function speedupWords(speedup: number, ideal: number): string {
  if (speedup > ideal * 1.005) {
    return (
      `${times(speedup)}, above the ideal of ${times(ideal)}: the baseline run was slow (noise); ` +
      `read it as about ${times(ideal)}`
    );
  }
  if (speedup >= 1) return `${times(speedup)} faster`;
  return `${times(1 / speedup)} slower`;
}

/** A time read against a lower bound nothing can beat (e.g. requests x latency / concurrency). */
export function boundWords(ms: number, boundMs: number): string {
  if (ms < boundMs * 0.995) {
    return `below the bound of ${boundMs.toFixed(0)} ms, which no run can beat: the clock or the bound is off (noise); read it as the bound`;
  }
  return `${times(ms / boundMs)} the bound of ${boundMs.toFixed(0)} ms`;
}

/**
 * `a`'s runs read against `b`'s, named `bName`: "2.1x faster than sequential", "1.4x slower
 * than ...", "no measurable difference from ... (the runs spread 8%)". Given the ideal
 * speedup for these cores, a gain above it carries the noise caveat.
 */
export function versus(a: readonly number[], b: readonly number[], bName: string, ideal?: number): string {
  const c = compareTimes({ runs: a }, { runs: b });
  if (c.direction === 'same') {
    return c.words.replace('no measurable difference', `no measurable difference from ${bName}`);
  }
  if (c.direction === 'slower' || ideal === undefined || c.factor <= ideal * 1.005) return `${c.words} than ${bName}`;
  return `${times(c.factor)} faster than ${bName}, ${speedupWords(c.factor, ideal).slice(times(c.factor).length + 2)}`;
}
