/** The robot kitchen's recipes: steps in recipe minutes, each hands-on (CPU work) or waiting (a timer, robot free). */
import { ParameterError } from '../../core/errors';
import * as check from '../../core/validate';

export type StepKind = 'hands-on' | 'waiting';
export type Step = { name: string; kind: StepKind; minutes: number };

/** A dish: its name and its steps, done in order. */
export type Recipe = { name: string; steps: Step[] };

/** Checks a recipe (a name, and steps, each with a name, a kind and minutes >= 0) and returns it. */
export function checkRecipe(value: unknown): Recipe {
  if (value === null || typeof value !== 'object')
    throw new ParameterError('recipe', 'an object { name, steps }', value);
  const { name, steps } = value as Partial<Recipe>;
  if (typeof name !== 'string' || name.trim() === '')
    throw new ParameterError('recipe name', 'a non-empty string', name);
  return {
    name,
    steps: check.nonEmptyList<Partial<Step> | null>(`${name}.steps`, steps).map((s, i) => {
      const where = `${name}.steps[${i}]`;
      if (typeof s?.name !== 'string' || !s.name)
        throw new ParameterError(`${where}.name`, 'a non-empty string', s?.name);
      const kind = check.oneOf(`${where}.kind`, s.kind, ['hands-on', 'waiting'] as const);
      return { name: s.name, kind, minutes: check.finite(`${where}.minutes`, s.minutes, 0, 10_000) };
    }),
  };
}

/** Writes a recipe: `recipe('soup', ['chop onions', 'hands-on', 2], ['simmer', 'waiting', 6])`. */
export function recipe(name: string, ...steps: (readonly [name: string, kind: StepKind, minutes: number])[]): Recipe {
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
export function pickDishes(names: string | readonly string[], menu = RECIPES): Recipe[] {
  const list = typeof names === 'string' ? names.split(',').flatMap((s) => s.trim() || []) : [...names];
  return check.nonEmptyList<string>('dishes', list).map((dish, i) => {
    if (!Object.hasOwn(menu, dish))
      throw new ParameterError(`dishes[${i}]`, `one of ${Object.keys(menu).join(', ')}`, dish);
    return checkRecipe(menu[dish]);
  });
}

export function minutesOf(r: Recipe): { total: number; handsOn: number } {
  const sum = (steps: Step[]) => steps.reduce((s, step) => s + step.minutes, 0);
  return { total: sum(r.steps), handsOn: sum(r.steps.filter((s) => s.kind === 'hands-on')) };
}

/** The recipe as text: "ramen: boil water 4 min (waiting), chop toppings 2 min (hands-on), ...". */
export function describeRecipe(r: Recipe): string {
  const { total, handsOn } = minutesOf(r);
  const steps = r.steps.map((s) => `${s.name} ${s.minutes} min (${s.kind})`).join(', ');
  return `${r.name}: ${steps}; ${total} min in all, ${handsOn} hands-on`;
}
