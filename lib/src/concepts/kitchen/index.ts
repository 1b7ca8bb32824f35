/** Notebook 03: the robot kitchen, concurrency vs parallelism. */
export { kitchenChart as chart, kitchenTable as table, kitchenTimelines as timelines } from './charts';
export { describeRecipe, pickDishes, recipe, RECIPES } from './recipes';
export { report } from './experiment';
export { kitchen as cook, kitchenPlans as plans } from './run';
