/** Notebook 07: the same work on a real distributed queue, BullMQ on Redis. */
export { openBroker, type Broker } from './broker';
export { jobTimesTable, recoveryChart } from './charts';
export { killBusyWorker, recovery } from './recovery';
export { report } from './report';
export { open, roundTrip, scaling } from './run';
export { onPaper } from './usl';
export { spawnWorker } from '../../cli/spawn-worker';
