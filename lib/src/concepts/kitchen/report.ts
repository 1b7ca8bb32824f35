/** Notebook 03 as one report: the four runs of the robot kitchen, their timelines, findings and headline. */
import type { Report } from '../../core/report';
import { kitchenChart, kitchenTimelines } from './charts';
import { kitchenFindings } from './findings';
import type { KitchenResult } from './run';

/** Everything a reader sees of the kitchen (`show(kitchen.report(result))`). */
export function report(result: KitchenResult): Report {
  return {
    name: 'kitchen',
    title: 'Concurrency vs parallelism: the robot kitchen',
    ...kitchenFindings(result),
    figures: [kitchenChart(result), ...kitchenTimelines(result)],
    results: { kitchen: result.comparison },
    env: result.env,
    params: result.comparison.params,
  };
}
