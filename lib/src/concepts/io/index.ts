/** Notebook 04: requests to the embedded loopback server, every way of waiting. */
export { closeBlockingClient } from './blocking';
export { boundChart, concurrencyChart, inflightChart, ioTimelineChart as timelineChart } from './charts';
export { connectionVariants, courseVariants, measureIo as measure } from './run';
export { report } from './report';
export { startServer } from './server';
export { failureTable } from './summary';
export { closeIoClients, io as get, ioBlocking as blockingGet } from './workload';
export { ioPeers as pythonPeers } from '../../python/peers';
