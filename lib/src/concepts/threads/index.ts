/** Notebook 02: worker threads, shared memory vs copies, lost updates and Atomics. */
export { counterRaceChart, messageCostChart } from './charts';
export { lock, unlock } from './lock';
export { messageCosts } from './messages';
export { counterRace } from './race';
export { report } from './report';
