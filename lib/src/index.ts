/**
 * concurrency-lab: run a workload in every execution mode, measure it, and chart it.
 *
 * The root holds the core (measure, summarize, draw, export, clean up); each notebook's
 * concept is a namespace: `io.measure(...)`, `gil.compare(...)`, `kitchen.cook(...)`.
 */
import './workloads';

export { compare, sweep, type Comparison, type Sweep } from './core/measure';
export { MODES } from './core/modes';
export type { Environment, Run, TaskRecord } from './core/records';
export { now } from './core/clock';
export { closeAll, openResources } from './core/teardown';
export { InterruptedError, ParameterError } from './core/errors';
export { defineWorkload } from './core/workload';
export { sleep, spin } from './core/workloads';
export { summarizeModes, summaryTable, textTable, warnings } from './core/summary';
export * as stats from './stats';
export { describeParams, parameters } from './catalog';
export { headline, page, render, show } from './output/display';
export { toCSV, toJSON } from './output/export';
export type { Figure } from './charts/figure';
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
