/** Notebook 01: a program vs a process, child processes, isolated memory, start-up costs. */
export { startupChart } from './charts';
export {
  childReports,
  coreInfo,
  isolatedMemory,
  processFindings as findings,
  startupCosts,
  whoAmI,
  type ChildReport,
  type IsolatedMemory,
  type StartupCosts,
} from './run';
