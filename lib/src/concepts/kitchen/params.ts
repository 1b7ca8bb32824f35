/** The parameters of 03-concurrency-vs-parallelism: default (which fixes the type), range, and meaning. */
import type { ParamSpec } from '../../core/params';
import { pickDishes } from './recipes';

export const KITCHEN_PARAMS = {
  dishes: {
    default: 'ramen,pasta,cake',
    help: 'the dishes, by name from the menu below, comma-separated',
    check: (name, value) => void pickDishes(value as string, undefined, name),
  },
  orders: {
    default: 10,
    integer: true,
    min: 1,
    max: 1000,
    help: 'orders in the last run, taken from the dishes in turn',
  },
  robots: { default: 3, integer: true, min: 1, max: 64, help: 'robots (worker threads) in the last run' },
  msPerMinute: { default: 40, min: 0.1, max: 1000, help: 'time scale: milliseconds of real time per recipe minute' },
  repeats: { default: 2, integer: true, min: 1, max: 20, help: 'timed passes of each run' },
} satisfies Record<string, ParamSpec>;
