/** Summary statistics of repeated measurements. */
import { jStat } from 'jstat';

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (0 for a single sample). */
  sd: number;
  /** Coefficient of variation, sd / mean. */
  cv: number;
  /** 95% confidence interval of the mean (Student's t); equal to the mean for n = 1. */
  ci95: [number, number];
}

/** Spread above which a summary earns a warning: 10% coefficient of variation. */
export const NOISY_CV = 0.1;

/** The two-sided 95% quantile of Student's t for `df` degrees of freedom, t(0.975, df): 12.706 at 1, tending to 1.96. */
export function t975(df: number): number {
  return jStat.studentt.inv(0.975, df);
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Summarises a non-empty list of samples. */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new Error('summarize needs at least one sample');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const t = n > 1 ? t975(n - 1) : 0;
  const half = (t * sd) / Math.sqrt(n);
  const [min, max, cv] = [Math.min(...values), Math.max(...values), mean === 0 ? 0 : sd / mean];
  return { n, median: median(values), min, max, mean, sd, cv, ci95: [mean - half, mean + half] };
}
