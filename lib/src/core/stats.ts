/** Summary statistics of repeated measurements. */

/** What a set of repeated timings looks like. */
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

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

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
  const t = n > 1 ? (T975[n - 2] ?? 1.96) : 0;
  const half = (t * sd) / Math.sqrt(n);
  return {
    n,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    mean,
    sd,
    cv: mean === 0 ? 0 : sd / mean,
    ci95: [mean - half, mean + half],
  };
}
