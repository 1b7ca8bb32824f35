/**
 * The vocabulary of every finding, so that no sentence contradicts the numbers beside it: direction
 * first ("1.4x slower", never "0.7x faster"), one difference rule robust to an outlier, plurals that follow.
 */
import { median } from './stats';

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

/** A share as a whole percentage: "23%". */
export function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

/** The least difference called one: the same work drifts a few percent from minute to minute (more with one run each). */
export const FLOOR = 0.03;
export const FLOOR_ONE_RUN = 0.1;

/** Relative spread: 1.4826 x the median absolute deviation over the median, a relative sd one outlier cannot inflate. */
export function spreadOf(runs: readonly number[], m = runs.length < 2 ? 0 : median(runs)): number {
  if (runs.length < 2 || m <= 0) return 0;
  return (1.4826 * median(runs.map((x) => Math.abs(x - m)))) / m;
}

/**
 * How `a` compared with `b`, both timed: 'same' unless the `factor` (>= 1, median against median) is beyond
 * the `noise` (twice the larger spread, or the floor), in `words` such as "2.1x faster".
 */
export interface TimeComparison {
  direction: 'faster' | 'slower' | 'same';
  factor: number;
  noise: number;
  words: string;
}

/** The threshold `compareTimes` holds a factor against (beyond 1): the floor, or twice the larger robust spread. */
export function noiseOf(a: readonly number[], b: readonly number[], ma?: number, mb?: number): number {
  const floor = a.length > 1 || b.length > 1 ? FLOOR : FLOOR_ONE_RUN;
  return Math.max(floor, 2 * Math.max(spreadOf(a, ma), spreadOf(b, mb)));
}

/** The one difference rule: medians against medians, a factor beyond 1 + `noiseOf`. */
export function compareTimes(a: readonly number[], b: readonly number[]): TimeComparison {
  const [ma, mb] = [median(a), median(b)];
  const noise = noiseOf(a, b, ma, mb);
  const factor = ma <= mb ? mb / ma : ma / mb;
  if (!(factor > 1 + noise)) {
    const words =
      a.length > 1 || b.length > 1
        ? `no measurable difference (within the ${percent(noise)} these runs can tell apart)`
        : `no measurable difference (one run each, ${times(factor)} apart)`;
    return { direction: 'same', factor, noise, words };
  }
  const direction = ma < mb ? 'faster' : 'slower';
  return { direction, factor, noise, words: `${times(factor)} ${direction}` };
}

function versusOf(c: TimeComparison, bName: string): string {
  const same = c.words.replace('no measurable difference', `no measurable difference from ${bName}`);
  return c.direction === 'same' ? same : `${c.words} than ${bName}`;
}

/** `a`'s runs read against `b`'s, named `bName`: "2.1x faster than sequential", "no measurable difference from ...". */
export function versus(a: readonly number[], b: readonly number[], bName: string): string {
  return versusOf(compareTimes(a, b), bName);
}

/** A speedup read against the ideal: plain within it (or the noise); beyond it, with its measured `cause` or unexplained. */
export function speedupWords(
  runs: readonly number[],
  base: readonly number[],
  baseName: string,
  ideal: number,
  cause?: string,
): string {
  const c = compareTimes(runs, base);
  const said = versusOf(c, baseName);
  if (c.direction !== 'faster' || !(c.factor > ideal)) return said;
  if (c.factor / ideal - 1 <= c.noise) return `${said}, at the ideal of ${times(ideal)} within these runs' noise`;
  // Both can round to the same figure ("2.3x faster ..., above the ideal of 2.3x"): then one more decimal each.
  const finer = (x: number) => `${x.toFixed(x >= 9.95 ? 1 : 2)}x`;
  const [factor, most] =
    times(c.factor) === times(ideal) ? [finer(c.factor), finer(ideal)] : [times(c.factor), times(ideal)];
  const above = said.replace(times(c.factor), factor);
  return `${above}, above the ideal of ${most}: ${cause ?? 'more than the runs can explain (look at the timeline)'}`;
}

/** A time read against a lower bound: "1.10x the bound of 1000 ms", or below it, said with its cause. */
export function boundWords(ms: number, boundMs: number, belowBecause: string): string {
  if (!(boundMs > 0)) return `against a bound of ${Math.round(boundMs)} ms`;
  // As many decimals as it takes for the two to read apart; within a microsecond it is at the bound.
  let d = 0;
  while (d < 3 && ms.toFixed(d) === boundMs.toFixed(d)) d++;
  if (ms < boundMs && ms.toFixed(d) !== boundMs.toFixed(d)) {
    return `${ms.toFixed(d)} ms, below the bound of ${boundMs.toFixed(d)} ms: ${belowBecause}`;
  }
  return `${times(ms / boundMs)} the bound of ${Math.round(boundMs)} ms`;
}

/** " **3 of 60 tasks failed** (the first: task 4, run 2: boom)." for a row with failures, else ''. */
export function failureWords(
  failures: readonly { index: number; message: string; repeat: number }[],
  total: number,
): string {
  const first = failures[0];
  if (!first) return '';
  return ` **${failures.length} of ${count(total, 'task')} failed** (the first: task ${first.index}, run ${first.repeat + 1}: ${first.message}).`;
}
