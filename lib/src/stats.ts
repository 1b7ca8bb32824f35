/** The statistics namespace: medians and spreads, Amdahl's law and its fit, and the words that read them. */
export { amdahl, fitSerialFraction } from './core/amdahl';
export { median, summarize } from './core/stats';
export { formatMs } from './core/summary';
export { compareTimes, speedupWords, spreadOf } from './core/words';
