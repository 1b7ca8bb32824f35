/**
 * The robot kitchen's recipes: a recipe is a list of steps, each either hands-on (the robot
 * is busy: CPU work) or waiting (water boiling: a timer, the robot is free). Times are in
 * recipe minutes; a run turns them into milliseconds with its time scale.
 */
import { ParameterError } from '../../core/errors';
import * as check from '../../core/validate';

/** What a step needs from the robot: its hands (the CPU) or only time (a timer). */
export type StepKind = 'hands-on' | 'waiting';

/** The two kinds of step. */
export const STEP_KINDS: readonly StepKind[] = ['hands-on', 'waiting'];

/** One step of a recipe. */
export interface Step {
  name: string;
  kind: StepKind;
  /** How long it takes, in recipe minutes. */
  minutes: number;
}

/** A dish: its name and its steps, done in order. */
export interface Recipe {
  name: string;
  steps: Step[];
}

/** A step as written in `recipe(...)`: [name, kind, minutes]. */
export type StepSpec = readonly [name: string, kind: StepKind, minutes: number];

/** Checks a recipe (a non-empty list of steps, each with a kind and a time >= 0) and returns it. */
export function checkRecipe(value: unknown): Recipe {
  if (value === null || typeof value !== 'object')
    throw new ParameterError('recipe', 'an object { name, steps }', value);
  const { name, steps } = value as Partial<Recipe>;
  if (typeof name !== 'string' || name.trim() === '')
    throw new ParameterError('recipe name', 'a non-empty string', name);
  const list = check.nonEmptyList<unknown>(`${name}.steps`, steps);
  return {
    name,
    steps: list.map((step, i) => {
      const where = `${name}.steps[${i}]`;
      if (step === null || typeof step !== 'object')
        throw new ParameterError(where, 'a step { name, kind, minutes }', step);
      const s = step as Partial<Step>;
      if (typeof s.name !== 'string' || s.name === '')
        throw new ParameterError(`${where}.name`, 'a non-empty string', s.name);
      return {
        name: s.name,
        kind: check.oneOf(`${where}.kind`, s.kind, STEP_KINDS),
        minutes: check.finite(`${where}.minutes`, s.minutes, 0, 10_000),
      };
    }),
  };
}

/** Writes a recipe: `recipe('soup', ['chop onions', 'hands-on', 2], ['simmer', 'waiting', 6])`. */
export function recipe(name: string, ...steps: StepSpec[]): Recipe {
  return checkRecipe({ name, steps: steps.map(([n, kind, minutes]) => ({ name: n, kind, minutes })) });
}

/** Jarvis's dishes from the course: ramen, pasta and cake. */
export const RECIPES: Readonly<Record<string, Recipe>> = {
  ramen: recipe(
    'ramen',
    ['boil water', 'waiting', 4],
    ['chop toppings', 'hands-on', 2],
    ['cook noodles', 'waiting', 3],
    ['assemble bowl', 'hands-on', 1],
  ),
  pasta: recipe(
    'pasta',
    ['chop tomatoes', 'hands-on', 2],
    ['simmer sauce', 'waiting', 5],
    ['toss and plate', 'hands-on', 1],
  ),
  cake: recipe('cake', ['mix batter', 'hands-on', 3], ['bake', 'waiting', 6], ['decorate', 'hands-on', 2]),
};

/** Picks dishes by name from a menu: "ramen,pasta,cake" or a list of names. */
export function pickDishes(
  names: string | readonly string[],
  menu: Readonly<Record<string, Recipe>> = RECIPES,
): Recipe[] {
  const list =
    typeof names === 'string'
      ? names
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [...names];
  check.nonEmptyList('dishes', list);
  return list.map((name, i) => {
    const found = Object.hasOwn(menu, name) ? menu[name] : undefined;
    if (!found) throw new ParameterError(`dishes[${i}]`, `one of ${Object.keys(menu).join(', ')}`, name);
    return checkRecipe(found);
  });
}

/** Minutes of a recipe: all of it, and the hands-on part. */
export function minutesOf(r: Recipe): { total: number; handsOn: number } {
  const total = r.steps.reduce((s, step) => s + step.minutes, 0);
  const handsOn = r.steps.filter((s) => s.kind === 'hands-on').reduce((s, step) => s + step.minutes, 0);
  return { total, handsOn };
}

/** The recipe as text: "ramen: boil water 4 min (waiting), chop toppings 2 min (hands-on), ...". */
export function describeRecipe(r: Recipe): string {
  const { total, handsOn } = minutesOf(r);
  const steps = r.steps.map((s) => `${s.name} ${s.minutes} min (${s.kind})`).join(', ');
  return `${r.name}: ${steps}; ${total} min in all, ${handsOn} hands-on`;
}
