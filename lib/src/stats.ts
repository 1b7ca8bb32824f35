/** The statistics namespace: medians and spreads, Amdahl's law and its fit, speedup points, and the words that read them. */
export { amdahl, fitSerialFraction } from './core/amdahl';
export { median, summarize, type Summary } from './core/stats';
export { formatMs } from './core/summary';
export { scalingPoints } from './charts/scaling';
export {
  boundWords,
  compareTimes,
  count,
  speedupWords,
  spreadOf,
  times,
  versus,
  type TimeComparison,
} from './core/words';
