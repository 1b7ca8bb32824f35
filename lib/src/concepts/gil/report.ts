/** Notebook 06 as one report: the event loop, the simulated GIL beside the real one, the switch interval, Amdahl. */
import { runsOf } from '../../core/measure';
import type { Report } from '../../core/report';
import { amdahlChart, gilChart, lockTimelineChart, switchSweepChart } from './charts';
import { gilFindings } from './findings';
import { loopCharts, loopSummaryChart } from './loop-charts';
import { GIL_ROWS } from './run';
import type { GilMeasured } from './summary';

/** Everything a reader sees of notebook 06's measurements (`show(gil.report({ loop, cpu, io, switches, amdahl }))`). */
export function report(m: GilMeasured): Report {
  const any = m.cpu ?? m.loop ?? m.io ?? m.switches ?? m.amdahl;
  if (!any) throw new Error('gil.report needs at least one measurement');
  const first = m.cpu && runsOf(m.cpu, GIL_ROWS.locked)[0];
  return {
    name: 'gil',
    title: 'GIL-like limits: the event loop, a simulated global lock, Amdahl',
    ...gilFindings(m),
    figures: [
      ...(m.loop ? [...loopCharts(m.loop), loopSummaryChart(m.loop)] : []),
      ...(m.cpu ? [gilChart(m.cpu)] : []),
      ...(first ? [lockTimelineChart(first)] : []),
      ...(m.io ? [gilChart(m.io, { io: true })] : []),
      ...(m.switches ? [switchSweepChart(m.switches)] : []),
      ...(m.amdahl ? [amdahlChart(m.amdahl)] : []),
    ],
    results: Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)),
    env: any.env,
    params: any.params,
  };
}
