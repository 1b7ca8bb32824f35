/**
 * How one robot cooks its orders, on whatever thread it runs: one dish after another, or
 * interleaving them (each dish an async function; a waiting step awaits a timer, so the
 * robot starts another dish's step meanwhile). Hands-on steps are real CPU work: a fixed
 * number of loop iterations, calibrated so that a step of `ms` takes `ms` on an idle core,
 * and so takes longer when more robots than cores share the machine.
 */
import { here, now } from '../../core/clock';
import type { TaskRecord } from '../../core/records';
import { defineWorkload } from '../../core/workload';
import type { Recipe, StepKind } from './recipes';

/** How a robot works through its orders. */
export type CookStyle = 'one after another' | 'interleaved';

/** One dish a robot is asked to cook: the order number and the recipe. */
export interface Order {
  /** 1-based order number. */
  order: number;
  recipe: Recipe;
}

/** One step as it was cooked: a task record (where and when) plus what it was. */
export interface StepRecord extends TaskRecord {
  /** 1-based robot number. */
  robot: number;
  order: number;
  dish: string;
  step: string;
  kind: StepKind;
  /** The time the recipe gives it, in ms. */
  plannedMs: number;
}

/** Busy CPU work: `iterations` rounds of integer arithmetic the compiler cannot skip. */
export function work(iterations: number): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

/** Iterations of `work` per millisecond on this thread, the best of a few ~30 ms trials. */
export function calibrate(trials = 5): number {
  work(200_000); // let the compiler optimise the loop first
  let best = 0;
  let n = 1_000_000;
  for (let t = 0; t < trials; t++) {
    const start = performance.now();
    work(n);
    const ms = performance.now() - start;
    const rate = n / Math.max(ms, 0.01);
    best = Math.max(best, rate);
    n = Math.max(100_000, Math.round(rate * 30));
  }
  return best;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Cooks `orders` as robot `robot`, `msPerMinute` ms per recipe minute, with `rate` work
 * iterations per ms (from `calibrate`); returns every step's record.
 */
export async function cook(
  robot: number,
  orders: readonly Order[],
  style: CookStyle,
  msPerMinute: number,
  rate: number,
): Promise<StepRecord[]> {
  const steps: StepRecord[] = [];
  const where = here();
  const dish = async ({ order, recipe }: Order) => {
    for (const s of recipe.steps) {
      const plannedMs = s.minutes * msPerMinute;
      const start = now();
      if (s.kind === 'hands-on') work(Math.round(plannedMs * rate));
      else await wait(plannedMs);
      const end = now();
      const index = steps.length;
      steps.push({
        index,
        ...where,
        start,
        end,
        ok: true,
        robot,
        order,
        dish: recipe.name,
        step: s.name,
        kind: s.kind,
        plannedMs,
      });
    }
  };
  if (style === 'interleaved') await Promise.all(orders.map(dish));
  else for (const o of orders) await dish(o);
  return steps;
}

/** What one robot is given: its number, its orders, how to cook them, the time scale and the work rate. */
export interface CookJob {
  robot: number;
  orders: Order[];
  style: CookStyle;
  msPerMinute: number;
  rate: number;
}

/** One robot's job as a task: `workload: 'cook'` (a robot is a pool's worker thread). */
export function cookJob(job: CookJob): Promise<StepRecord[]> {
  return cook(job.robot, job.orders, job.style, job.msPerMinute, job.rate);
}

defineWorkload({ name: 'cook', fn: cookJob, module: __filename, export: 'cookJob' });
