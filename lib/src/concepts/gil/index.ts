/** Notebook 06: the event loop as Node's GIL, a simulated global lock (the `gil` mode), and Amdahl's law. */
export { amdahlChart, gilChart as chart, lockTimelineChart, switchSweepChart } from './charts';
export { loopCharts, loopSummaryChart } from './loop-charts';
export { blockTheLoop } from './loop-run';
export { report } from './experiment';
export { compareGil as compare, gilPythonPeers as pythonPeers, measureAmdahl, sweepSwitchInterval } from './run';
