/** The simulated global lock: the lock, its threads, the experiments, and Amdahl's law measured. */
export { CELL, DEFAULT_SWITCH_INTERVAL_MS, GilHandle, STATE, readLock, type LockState } from './lock';
export { checkTask, cpuTasks, ioTasks, type GilStep, type GilTask } from './tasks';
export { checkSwitchInterval, GilTeam, MAX_GIL_THREADS, type GilRun, type GilRunOptions, type Hold } from './team';
export {
  checkThreads,
  compareGil,
  GIL_VARIANTS,
  summarizeGil,
  sweepSwitchInterval,
  VARIANT_LABELS,
  type CompareGilOptions,
  type GilComparison,
  type GilVariant,
  type GilVariantRun,
  type GilVariantSummary,
  type SwitchPoint,
  type SwitchSweep,
  type SwitchSweepOptions,
} from './experiment';
export { measureAmdahl, type AmdahlOptions, type AmdahlSweep } from './amdahl';
export { GIL_PARAMS } from './params';
