/** Notebook 02: worker threads, shared memory vs copies, lost updates and Atomics. */
import type { Report } from '../../core/report';
import { counterRaceChart, messageCostChart } from './charts';
import { threadFindings, type ThreadsMeasured } from './findings';

export { counterRaceChart, messageCostChart } from './charts';
export { lock, unlock } from './lock';
export { messageCosts } from './messages';
export { counterRace } from './race';

/** Everything a reader sees of notebook 02's measurements (`show(threads.report({ reports, seen, costs, race }))`). */
export function report(m: ThreadsMeasured): Report {
  return {
    name: 'threads',
    title: 'Threads: shared memory, copies, lost updates',
    ...threadFindings(m),
    figures: [messageCostChart(m.costs), counterRaceChart(m.race)],
    results: { messages: m.costs.comparison, race: m.race.comparison },
    env: m.race.env,
    params: { ...m.costs.comparison.params, ...m.race.comparison.params },
  };
}
