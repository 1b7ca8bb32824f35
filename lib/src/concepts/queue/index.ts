/** Notebook 07: the same work on a real distributed queue, BullMQ on Redis. */
export { openBroker } from './broker';
export { paperChart, recoveryChart, roundTripChart, throughputChart } from './charts';
export { killBusyWorker, recovery } from './recovery';
export { report } from './report';
export { open, roundTrip, scaling } from './run';
export { otherMachines } from './hosts-workers';
