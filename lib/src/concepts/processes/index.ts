/** Notebook 01: a program vs a process, child processes, isolated memory, start-up costs. */
export { startupChart } from './charts';
export { report } from './report';
export { childReports, coreInfo, startupCosts, whoAmI } from './run';
