/** Notebook 07 as one report: the queue beside the process pool, what the broker costs, scaling, on paper, a kill. */
import { timelineChart } from '../../charts/timeline';
import { wallTimeChart } from '../../charts/wall';
import type { Report } from '../../core/report';
import { paperChart, recoveryChart, roundTripChart, throughputChart } from './charts';
import { queueFindings } from './findings';
import { queueSummary, type QueueMeasured } from './summary';

/** Everything a reader sees of a queue measurement (`show(queue.report({ comparison, trip, scaling, model, recovery }))`). */
export function report(m: QueueMeasured): Report {
  const env = m.comparison.env;
  const s = queueSummary(m);
  const { findings, headline } = queueFindings(s, m, env);
  const first = m.comparison.runs.find((r) => r.mode === 'queue' && r.repeat === 0);
  return {
    name: 'queue',
    title: `A distributed queue: ${m.comparison.tasks} tasks on BullMQ and Redis`,
    headline,
    findings,
    figures: [
      wallTimeChart(m.comparison),
      ...(first ? [timelineChart(first, { title: 'The queue: a lane per host · pid · thread' })] : []),
      ...(s.trip ? [roundTripChart(s, env)] : []),
      ...(s.scale.length ? [throughputChart(s, env)] : []),
      ...(m.model ? [paperChart(m.model, env)] : []),
      ...(m.recovery ? [recoveryChart(m.recovery)] : []),
    ],
    results: {
      compare: m.comparison,
      ...(m.trip ? { trip: m.trip } : {}),
      ...(m.scaling ? { scaling: m.scaling } : {}),
    },
    env,
    params: m.comparison.params,
  };
}
