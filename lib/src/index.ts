/** concurrency-lab: the core at the root; each notebook's concept a namespace (`io.measure(...)`) with its `report`. */
import './workloads';

export { compare, sweep, type Comparison } from './core/measure';
export type { Environment, Row, Run, TaskRecord } from './core/records';
export type { Report } from './core/report';
export { now } from './core/clock';
export { closeAll } from './core/teardown';
export { InterruptedError, ParameterError } from './core/errors';
export { defineWorkload } from './core/workload';
export { summaries, summaryTable, warnings } from './core/summary';
export { parameters } from './catalog';
export { show } from './output/display';
export { scalingChart } from './charts/scaling';
export { timelineChart } from './charts/timeline';
export { wallTimeChart } from './charts/wall';
export * as processes from './concepts/processes';
export * as threads from './concepts/threads';
export * as kitchen from './concepts/kitchen';
export * as io from './concepts/io';
export * as cpu from './concepts/cpu';
export * as gil from './concepts/gil';
export * as queue from './concepts/queue';
