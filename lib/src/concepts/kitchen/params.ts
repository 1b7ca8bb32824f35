/** The parameters of 03-concurrency-vs-parallelism: default (which fixes the type), range, and meaning. */
import type { ParamSpec } from '../../core/params';
import { ParameterError } from '../../core/errors';

export const KITCHEN_PARAMS = {
  dishes: {
    default: 'ramen,pasta,cake',
    help: "the dishes by name, comma-separated: ramen, pasta, cake, or one the notebook's menu adds",
    // A name's form only: the notebook's menu may add dishes; pickDishes checks them against it.
    check: (name, value) => {
      const names = String(value).split(',');
      const bad = names.findIndex((dish) => !/^[a-z][\w-]*$/i.test(dish.trim()));
      if (bad >= 0) throw new ParameterError(`${name}[${bad}]`, 'a dish name (a word)', names[bad]!.trim());
    },
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
