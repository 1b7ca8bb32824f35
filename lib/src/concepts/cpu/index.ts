/** Notebook 05: the course's CPU-bound function in every mode. */
export { cpuPeers as pythonPeers } from '../../python/peers';
export { report } from './experiment';
export { cpu as cpuBound } from './workload';
