/** Notebook 02: worker threads, shared memory vs copies, lost updates and Atomics. */
export { counterRaceChart, messageCostChart } from './charts';
export { raceHeadline as headline, threadFindings as findings, type ThreadSeen } from './findings';
export { threadReports, type ThreadReport } from './identity';
export { lock, unlock } from './lock';
export { messageCosts, whoSeesTheChange, type MessageCosts, type SeenChange } from './messages';
export { counterRace, type CounterRace } from './race';
