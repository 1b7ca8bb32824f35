/** Notebook 01: a program vs a process, child processes, isolated memory, start-up costs. */
import type { Report } from '../../core/report';
import { startupChart } from './charts';
import { processFindings, type ProcessesMeasured } from './findings';

export { startupChart } from './charts';
export { childReports, coreInfo, startupCosts, whoAmI } from './run';

/** Everything a reader sees of notebook 01's measurements (`show(processes.report({ reports, memory, startup }))`). */
export function report(m: ProcessesMeasured): Report {
  return {
    name: 'processes',
    title: 'Processes: a program, running',
    ...processFindings(m),
    figures: [startupChart(m.startup)],
    results: { startup: m.startup.comparison },
    env: m.startup.env,
    params: m.startup.comparison.params,
  };
}
