/** The robot kitchen, run for real: each of the four ways a row of one compare on a thread pool, a worker per robot. */
import { ParameterError } from '../../core/errors';
import { compare, runsOf } from '../../core/measure';
import type { Progress } from '../../core/rounds';
import { summarize } from '../../core/stats';
import * as check from '../../core/validate';
import { count } from '../../core/words';
import { calibrate, type CookJob, type CookStyle, type Order, type StepRecord } from './cook';
import { checkRecipe, minutesOf, RECIPES, type Recipe } from './recipes';

/** The four runs, in the order the notebook tells them. */
export type KitchenRunId = 'sequential' | 'interleaved' | 'parallel' | 'both';

/** What a run does: which robot cooks which orders (a list per robot), and how. */
type KitchenPlan = { id: KitchenRunId; title: string; style: CookStyle; robots: Order[][] };

/** A run: its plan, its ideal, and every timed pass with its steps. */
export type KitchenRun = KitchenResult['runs'][number];

/** What `kitchen` measured; `rate` is the `burn` units per ms the hands-on steps were calibrated with. */
export type KitchenResult = Awaited<ReturnType<typeof kitchen>>;

/** Splits `n` orders over `parts` robots as evenly as possible, the later robots taking the extra: 10 / 3 = 3, 3, 4. */
export function splitOrders(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i >= parts - (n % parts) ? 1 : 0));
}

/** The four plans for these dishes, orders and robots. */
export function kitchenPlans(dishes: readonly Recipe[], orders: number, robots: number): KitchenPlan[] {
  const menu = dishes.map((recipe, i): Order => ({ order: i + 1, recipe }));
  const all = Array.from({ length: orders }, (_, i): Order => ({ order: i + 1, recipe: dishes[i % dishes.length]! }));
  let next = 0;
  const shares = splitOrders(orders, robots)
    .map((size) => all.slice(next, (next += size)))
    .filter((s) => s.length > 0);
  const used = shares.length;
  const split = used > 1 ? ` (${shares.map((s) => s.length).join('/')})` : '';
  const how = used > 1 ? ', each interleaving' : orders > 1 ? ', interleaving' : '';
  const idle = robots > used ? `; ${count(robots - used, 'robot')} had no order` : '';
  const d = count(dishes.length, 'dish', 'dishes');
  const plan = (id: KitchenRunId, title: string, style: CookStyle, r: Order[][]) => ({ id, title, style, robots: r });
  const oneEach = menu.map((o) => [o]);
  return [
    plan('sequential', `1 robot, ${d} one after another`, 'one after another', [menu]),
    plan('interleaved', `1 robot, ${d} interleaved`, 'interleaved', [menu]),
    plan('parallel', `${count(dishes.length, 'robot')}, one dish each`, 'interleaved', oneEach),
    plan('both', `${count(orders, 'order')} on ${count(used, 'robot')}${split}${how}${idle}`, 'interleaved', shares),
  ];
}

/**
 * The best time a plan allows on `cores` cores, and the limit that sets it: the sum of a robot's steps one
 * after another; an interleaving robot's hands-on time and its longest dish; all hands-on time / min(robots, cores).
 */
export function idealOf(plan: KitchenPlan, msPerMinute: number, cores: number): { ms: number; why: string } {
  const limits: { ms: number; why: string }[] = [];
  let handsOnAll = 0;
  plan.robots.forEach((orders, r) => {
    const m = orders.map((o) => minutesOf(o.recipe));
    const handsOn = m.reduce((s, x) => s + x.handsOn, 0);
    handsOnAll += handsOn;
    const robot = plan.robots.length > 1 ? `robot ${r + 1}'s ` : '';
    if (plan.style === 'one after another') {
      limits.push({ ms: m.reduce((s, x) => s + x.total, 0), why: `${robot}steps one after another` });
    } else {
      const longest = Math.max(...m.map((x) => x.total));
      const name = orders[m.findIndex((x) => x.total === longest)]!.recipe.name;
      limits.push(
        { ms: handsOn, why: `${robot}hands-on time` },
        { ms: longest, why: `${robot}longest dish (${name})` },
      );
    }
  });
  const used = Math.min(plan.robots.length, cores);
  if (plan.robots.length > 1) limits.push({ ms: handsOnAll / used, why: `all hands-on time / ${count(used, 'core')}` });
  const best = limits.reduce((a, b) => (b.ms > a.ms + 1e-9 ? b : a));
  return { ms: best.ms * msPerMinute, why: best.why };
}

/** Cooks the dishes (default: Jarvis's three) 4 ways, `repeats` passes each in turns; the last `orders` on `robots`. */
export async function kitchen(
  options: Partial<Record<'orders' | 'robots' | 'msPerMinute' | 'repeats', number>> & {
    dishes?: readonly Recipe[];
    onProgress?: (progress: Progress) => void;
  } = {},
) {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const dishes = check.nonEmptyList<unknown>('dishes', options.dishes ?? Object.values(RECIPES)).map(checkRecipe);
  if (dishes.length > 64) throw new ParameterError('dishes', 'at most 64 dishes (one robot each)', dishes);
  const orders = check.integer('orders', options.orders ?? 10, 1, 1000);
  const robots = check.integer('robots', options.robots ?? 3, 1, 64);
  const msPerMinute = check.finite('msPerMinute', options.msPerMinute ?? 40, 0.1, 60_000);
  const repeats = check.integer('repeats', options.repeats ?? 1, 1, 100);
  const plans = kitchenPlans(dishes, orders, robots);
  const rate = calibrate();
  const comparison = await compare({
    workload: 'cook',
    inputs: [],
    modes: plans.map((plan) => ({
      mode: 'threads' as const,
      label: plan.title,
      workers: plan.robots.length,
      inputs: plan.robots.map((orders, r): CookJob => ({ robot: r + 1, orders, style: plan.style, msPerMinute, rate })),
      baseline: null,
    })),
    oneWorker: false,
    repeats,
    warmup: 0,
    onProgress: options.onProgress,
    params: { dishes: dishes.map((d) => d.name).join(','), orders, robots, msPerMinute, repeats },
  });
  const runs = plans.map((plan) => {
    const passes = runsOf(comparison, plan.title).map(({ tasks, results, repeat, start, end }) => {
      const failed = tasks.failed()[0];
      if (failed) throw new Error(`a robot failed: ${failed.error}`);
      const sorted = (results as StepRecord[][]).flat().sort((a, b) => a.start - b.start);
      const last = sorted.length ? Math.max(...sorted.map((st) => st.end)) : end;
      return { repeat, start, end: last, wallMs: last - start, steps: sorted.map((st, index) => ({ ...st, index })) };
    });
    const wall = summarize(passes.map((p) => p.wallMs));
    return { ...plan, ideal: idealOf(plan, msPerMinute, comparison.env.cores), passes, wall };
  });
  return { dishes, orders, robots, msPerMinute, rate, repeats, runs, comparison, env: comparison.env };
}

/** The pass whose wall time is closest to the run's median: the one a timeline shows. */
export function typicalPass(run: KitchenRun): KitchenRun['passes'][number] {
  const off = (p: { wallMs: number }) => Math.abs(p.wallMs - run.wall.median);
  return run.passes.reduce((a, b) => (off(b) < off(a) ? b : a));
}

export function ordersOf(run: KitchenPlan): number {
  return run.robots.reduce((s, o) => s + o.length, 0);
}
