/** Notebook 04: 100 requests to the embedded loopback server, every way of waiting. */
export { closeBlockingClient } from './blocking';
export { boundChart, concurrencyChart, inflightChart, ioTimelineChart as timelineChart } from './charts';
export { ioFindings as findings, ioHeadline as headline } from './findings';
export { IO_PARAMS as PARAMS } from './params';
export { connectionVariants, courseVariants, measureIo as measure, type IoExperiment as Experiment } from './run';
export { peakInflight, startServer, withServer, type IoServer as Server } from './server';
export { failureTable, ioSummaries as summaries, ioSummary as summary } from './summary';
export { closeIoClients, io as get, ioBlocking as blockingGet } from './workload';
export { ioPeers as pythonPeers, type PythonIoOptions as PythonOptions } from '../../python/peers';
