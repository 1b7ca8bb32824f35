/** A robot cooks its orders; a hands-on step is CPU work calibrated on an idle core, so slower on a shared one. */
import { setTimeout as wait } from 'node:timers/promises';
import { here, now } from '../../core/clock';
import type { TaskRecord } from '../../core/records';
import { defineWorkload } from '../../core/workload';
import type { Recipe, StepKind } from './recipes';

export type CookStyle = 'one after another' | 'interleaved';

/** One dish a robot is asked to cook: its order number (from 1) and its recipe. */
export type Order = { order: number; recipe: Recipe };

/** One step as cooked: a task record (where and when), its robot, order, dish, step, kind, and planned ms. */
export interface StepRecord extends TaskRecord {
  robot: number;
  order: number;
  dish: string;
  step: string;
  kind: StepKind;
  plannedMs: number;
}

/** `units` rounds of integer arithmetic the compiler cannot skip: a fixed amount of CPU work. */
export function burn(units: number, seed = 1): number {
  let x = seed | 0;
  for (let k = 0; k < units; k++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

/** `burn` units per ms on this thread once optimised: the best of five runs of about 20 ms. */
export function calibrate(): number {
  let [x, best, units] = [burn(2_000_000), 0, 1_000_000]; // the first lets the compiler optimise the loop
  for (let trial = 0; trial < 5; trial++) {
    const t0 = performance.now();
    x = burn(units, x);
    best = Math.max(best, units / Math.max(performance.now() - t0, 1e-3));
    units = Math.max(100_000, Math.round(best * 20));
  }
  return x === 0.5 ? best + 1 : best; // never true: keeps the work alive
}

/** What one robot is given: its number, its orders, how to cook them, ms per recipe minute, `burn` units per ms. */
export type CookJob = { robot: number; orders: Order[]; style: CookStyle; msPerMinute: number; rate: number };

/** One robot's job as a task of `workload: 'cook'` (a robot is a pool's worker thread): every step's record. */
export async function cookJob({ robot, orders, style, msPerMinute, rate }: CookJob): Promise<StepRecord[]> {
  const steps: StepRecord[] = [];
  const where = here();
  const dish = async ({ order, recipe }: Order) => {
    for (const s of recipe.steps) {
      const plannedMs = s.minutes * msPerMinute;
      const start = now();
      if (s.kind === 'hands-on') burn(Math.round(plannedMs * rate));
      else await wait(plannedMs);
      const record = { index: steps.length, ...where, start, end: now(), ok: true };
      steps.push({ ...record, robot, order, dish: recipe.name, step: s.name, kind: s.kind, plannedMs });
    }
  };
  if (style === 'interleaved') await Promise.all(orders.map(dish));
  else for (const o of orders) await dish(o);
  return steps;
}

defineWorkload({ name: 'cook', fn: cookJob, module: __filename, export: 'cookJob' });
