/** Notebook 07 as one report: the queue beside the process pool, what the broker costs, scaling, on paper, a kill. */
import { wallTimeChart } from '../../charts/wall';
import type { Report } from '../../core/report';
import { paperChart, queueTimeline, recoveryChart, roundTripChart, throughputChart } from './charts';
import { queueFindings } from './findings';
import { queueSummary, type QueueMeasured } from './summary';

/** Everything a reader sees of a queue measurement (`show(queue.report({ comparison, trip, scaling, model, recovery }))`). */
export function report(m: QueueMeasured): Report {
  const env = m.comparison.env;
  const { findings, headline } = queueFindings(queueSummary(m), m, env);
  // The timeline shows the queue row the findings read: the one with the most workers.
  const widest = m.comparison.rows.filter((r) => r.mode === 'queue').sort((a, b) => b.workers - a.workers)[0];
  const first = widest && m.comparison.runs.find((r) => r.label === widest.label && r.repeat === 0);
  return {
    name: 'queue',
    title: `A distributed queue: ${m.comparison.tasks} tasks on BullMQ and Redis`,
    headline,
    findings,
    figures: [
      wallTimeChart(m.comparison),
      ...(first ? [queueTimeline(first)] : []),
      ...(m.trip ? [roundTripChart(m.trip)] : []),
      ...(m.scaling ? [throughputChart(m.scaling)] : []),
      ...(m.trip && m.scaling && m.rttMs !== undefined ? [paperChart(m.scaling, m.trip, m.rttMs)] : []),
      ...[m.recovery, m.cut].flatMap((r) => (r ? [recoveryChart(r)] : [])),
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
