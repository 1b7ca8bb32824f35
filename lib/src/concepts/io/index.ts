/** Notebook 04: requests to the embedded loopback server, every way of waiting. */
export { boundChart, concurrencyChart, inflightChart, ioTimelineChart as timelineChart } from './charts';
export { courseVariants, measureIo as measure } from './run';
export { report } from './experiment';
export { startServer } from './server';
export { failureTable } from './summary';
export { closeClients, io as get, ioBlocking as blockingGet } from './workload';
