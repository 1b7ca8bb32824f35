/** Notebook 01: a program vs a process, child processes, isolated memory, start-up costs. */
export { startupChart } from './charts';
export { processFindings as findings, processHeadline as headline, type ChildSeen, type MemorySeen } from './findings';
export {
  childReports,
  coreInfo,
  isolatedMemory,
  startupCosts,
  whoAmI,
  type ChildReport,
  type IsolatedMemory,
  type StartupCosts,
} from './run';
