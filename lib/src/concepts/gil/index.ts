/** Notebook 06: the event loop as Node's GIL, a simulated global lock, and Amdahl's law. */
export { measureAmdahl, type AmdahlSweep } from './amdahl';
export {
  amdahlChart,
  gilChart as chart,
  lockTimelineChart,
  loopCharts,
  loopRunSummary,
  loopSummaryChart,
  switchSweepChart,
} from './charts';
export { gilFindings as findings, gilHeadline as headline } from './findings';
export { GilTeam } from './gil-team';
export { loopStats, monitorLoop } from './loop-monitor';
export { blockTheLoop, type LoopComparison } from './loop-run';
export {
  compareGil as compare,
  summarizeGil as summarize,
  sweepSwitchInterval,
  type GilComparison as Comparison,
} from './run';
export { serialFractionTasks } from './serial';
export { cpuTasks, ioTasks } from './tasks';
export { measureGil as measurePython, type PythonGil, type PythonGilOptions } from '../../python/peers';
