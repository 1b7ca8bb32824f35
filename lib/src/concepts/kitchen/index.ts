/** Notebook 03: the robot kitchen, concurrency vs parallelism. */
export { kitchenChart as chart, kitchenTimelines as timelines } from './charts';
export type { StepRecord } from './cook';
export { kitchenFindings as findings, kitchenHeadline as headline } from './findings';
export { describeRecipe, pickDishes, recipe, RECIPES, type Recipe } from './recipes';
export {
  idealOf,
  kitchen as cook,
  kitchenPlans as plans,
  kitchenTable as table,
  splitOrders,
  type KitchenResult,
} from './run';
