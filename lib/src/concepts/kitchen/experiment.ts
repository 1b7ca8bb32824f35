/** `concurrency-lab kitchen`: the robot kitchen of notebook 03, cooked for real in its four runs. */
import type { Experiment } from '../../core/report';
import { KITCHEN_PARAMS } from './params';
import { pickDishes } from './recipes';
import { report } from './report';
import { kitchen, type KitchenResult } from './run';

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
