/** Notebook 03 as one report, and `concurrency-lab kitchen`: the robot kitchen, cooked for real in its four runs. */
import type { Experiment, Report } from '../../core/report';
import { kitchenChart, kitchenTimelines } from './charts';
import { kitchenFindings } from './findings';
import { KITCHEN_PARAMS } from './params';
import { pickDishes } from './recipes';
import { kitchen, type KitchenResult } from './run';

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

/** The kitchen experiment; defaults are the notebook's. */
export const experiment: Experiment<KitchenResult> = {
  name: 'kitchen',
  notebook: '03-concurrency-vs-parallelism',
  summary:
    'the robot kitchen: one robot, one robot interleaving, a robot per dish, orders on several robots (notebook 03)',
  params: KITCHEN_PARAMS,
  // Its tasks cannot be bounded one by one: --timeout-ms bounds the whole run.
  runTimeout: true,
  measure: (v, o) => kitchen({ ...v, dishes: pickDishes(v.dishes as string), onProgress: o.onProgress }),
  report,
};
