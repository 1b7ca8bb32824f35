/**
 * The robot kitchen, run for real: the course's four ways of cooking, each measured.
 * - one robot cooks the dishes one after another (no concurrency, no parallelism);
 * - one robot interleaves them, starting another dish while water boils (concurrency);
 * - one robot per dish, all at once (parallelism: worker threads);
 * - ten orders split 3/3/4 over three robots, each interleaving its own (both).
 * Every robot is a worker thread; every step is recorded, so a timeline can show it.
 */
import { environment } from '../../core/environment';
import { ParameterError } from '../../core/errors';
import { compare, runsOf, type Comparison } from '../../core/measure';
import type { Environment } from '../../core/records';
import type { Progress } from '../../core/rounds';
import { summarize, type Summary } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import * as check from '../../core/validate';
import { count } from '../../core/words';
import { calibrate, type CookJob, type CookStyle, type Order, type StepRecord } from './cook';
import { checkRecipe, minutesOf, RECIPES, type Recipe } from './recipes';

/** The four runs, in the order the notebook tells them. */
export const KITCHEN_RUNS = ['sequential', 'interleaved', 'parallel', 'both'] as const;

/** One of the four runs. */
export type KitchenRunId = (typeof KITCHEN_RUNS)[number];

/** What a run does: which robot cooks which orders, and how. */
export interface KitchenPlan {
  id: KitchenRunId;
  title: string;
  style: CookStyle;
  /** Orders per robot. */
  robots: Order[][];
}

/** The best time a plan allows, in ms, and which limit sets it. */
export interface Ideal {
  ms: number;
  why: string;
}

/** One timed pass of a run. */
export interface KitchenPass {
  repeat: number;
  start: number;
  end: number;
  wallMs: number;
  steps: StepRecord[];
}

/** A run: its plan, its ideal, and every pass. */
export interface KitchenRun extends KitchenPlan {
  ideal: Ideal;
  passes: KitchenPass[];
  wall: Summary;
}

/** What `kitchen` measured. */
export interface KitchenResult {
  dishes: Recipe[];
  orders: number;
  robots: number;
  msPerMinute: number;
  /** Work iterations per ms on this machine (hands-on steps are calibrated with it). */
  rate: number;
  repeats: number;
  runs: KitchenRun[];
  /** The comparison the runs were read from: one row per run, a task per robot. */
  comparison: Comparison;
  env: Environment;
}

/** Options of `kitchen`. */
export interface KitchenOptions {
  /** The dishes of the first three runs (default Jarvis's ramen, pasta and cake). */
  dishes?: readonly Recipe[];
  /** Orders of the last run, taken from the dishes in turn (default 10). */
  orders?: number;
  /** Robots of the last run (default 3). */
  robots?: number;
  /** Milliseconds of real time per recipe minute (default 40). */
  msPerMinute?: number;
  /** Timed passes per run (default 1). */
  repeats?: number;
  /** Which runs (default all four). */
  runs?: readonly KitchenRunId[];
  /** Called after each robot has cooked (default: nothing), e.g. to show progress. */
  onProgress?: (progress: Progress) => void;
}

/** Defaults of every kitchen option. */
export const KITCHEN_DEFAULTS = { orders: 10, robots: 3, msPerMinute: 40, repeats: 1 } as const;

/** Splits `n` orders over `parts` robots as evenly as possible, the later robots taking the extra: 10 / 3 = 3, 3, 4. */
export function splitOrders(n: number, parts: number): number[] {
  const base = Math.floor(n / parts);
  return Array.from({ length: parts }, (_, i) => base + (i >= parts - (n % parts) ? 1 : 0));
}

/** The four plans for these dishes, orders and robots. */
export function kitchenPlans(dishes: readonly Recipe[], orders: number, robots: number): KitchenPlan[] {
  const menu: Order[] = dishes.map((recipe, i) => ({ order: i + 1, recipe }));
  const all: Order[] = Array.from({ length: orders }, (_, i) => ({ order: i + 1, recipe: dishes[i % dishes.length]! }));
  let next = 0;
  const shares = splitOrders(orders, robots).map((size) => all.slice(next, (next += size)));
  const d = dishes.length;
  return [
    {
      id: 'sequential',
      title: `1 robot, ${count(d, 'dish', 'dishes')} one after another`,
      style: 'one after another',
      robots: [menu],
    },
    {
      id: 'interleaved',
      title: `1 robot, ${count(d, 'dish', 'dishes')} interleaved`,
      style: 'interleaved',
      robots: [menu],
    },
    {
      id: 'parallel',
      title: `${count(d, 'robot')}, one dish each`,
      style: 'interleaved',
      robots: menu.map((o) => [o]),
    },
    {
      id: 'both',
      title: `${count(orders, 'order')} on ${count(robots, 'robot')} (${shares.map((s) => s.length).join('/')}), each interleaving`,
      style: 'interleaved',
      robots: shares.filter((s) => s.length > 0),
    },
  ];
}

/**
 * The best time a plan allows on `cores` cores: a robot cooking one dish after another
 * needs the sum of its steps; an interleaving robot needs at least its hands-on time and
 * its longest dish; and all hands-on work together needs at least its total / min(robots, cores).
 */
export function idealOf(plan: KitchenPlan, msPerMinute: number, cores: number): Ideal {
  const candidates: Ideal[] = [];
  let handsOnAll = 0;
  plan.robots.forEach((orders, r) => {
    const m = orders.map((o) => minutesOf(o.recipe));
    const handsOn = m.reduce((s, x) => s + x.handsOn, 0);
    handsOnAll += handsOn;
    const robot = plan.robots.length > 1 ? `robot ${r + 1}'s ` : '';
    if (plan.style === 'one after another') {
      candidates.push({ ms: m.reduce((s, x) => s + x.total, 0), why: `${robot}steps one after another` });
    } else {
      const longest = Math.max(...m.map((x) => x.total));
      const name = orders[m.findIndex((x) => x.total === longest)]!.recipe.name;
      candidates.push({ ms: handsOn, why: `${robot}hands-on time` });
      candidates.push({ ms: longest, why: `${robot}longest dish (${name})` });
    }
  });
  // Robots share the cores: on fewer cores than robots (one core too) their hands-on time adds up.
  const used = Math.min(plan.robots.length, cores);
  if (plan.robots.length > 1)
    candidates.push({ ms: handsOnAll / used, why: `all hands-on time / ${count(used, 'core')}` });
  const best = candidates.reduce((a, b) => (b.ms > a.ms + 1e-9 ? b : a));
  return { ms: best.ms * msPerMinute, why: best.why };
}

/**
 * Cooks the dishes in the four ways, `repeats` passes each (runs taking turns). Every robot
 * is a worker thread, started and warmed up before the clock starts and ended before this
 * returns or throws. Options are checked first: a bad one is a one-line ParameterError.
 */
export async function kitchen(options: KitchenOptions = {}): Promise<KitchenResult> {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const dishes = check.nonEmptyList<unknown>('dishes', options.dishes ?? Object.values(RECIPES)).map(checkRecipe);
  const orders = check.integer('orders', options.orders ?? KITCHEN_DEFAULTS.orders, 1, 1000);
  const robots = check.integer('robots', options.robots ?? KITCHEN_DEFAULTS.robots, 1, 64);
  const msPerMinute = check.finite('msPerMinute', options.msPerMinute ?? KITCHEN_DEFAULTS.msPerMinute, 0.1, 60_000);
  const repeats = check.integer('repeats', options.repeats ?? KITCHEN_DEFAULTS.repeats, 1, 100);
  const ids = check.subsetOf('runs', options.runs ?? [...KITCHEN_RUNS], KITCHEN_RUNS);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    throw new ParameterError('onProgress', 'a function', options.onProgress);
  if (dishes.length > 64) throw new ParameterError('dishes', 'at most 64 dishes (one robot each)', dishes);
  const env = environment();
  const plans = kitchenPlans(dishes, orders, robots).filter((p) => ids.includes(p.id));
  const rate = calibrate();
  // Every robot is a worker thread of a pool of as many threads as the run has robots; each
  // robot's orders are one task, so every robot has a thread of its own.
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
  const runs = plans.map((plan): KitchenRun => {
    const passes = runsOf(comparison, plan.title).map((run): KitchenPass => {
      const failed = run.tasks.failed()[0];
      if (failed) throw new Error(`a robot failed: ${failed.error}`);
      const steps = (run.results as StepRecord[][])
        .flat()
        .sort((a, b) => a.start - b.start)
        .map((st, index) => ({ ...st, index }));
      const end = steps.length ? Math.max(...steps.map((st) => st.end)) : run.end;
      return { repeat: run.repeat, start: run.start, end, wallMs: end - run.start, steps };
    });
    return {
      ...plan,
      ideal: idealOf(plan, msPerMinute, env.cores),
      passes,
      wall: summarize(passes.map((p) => p.wallMs)),
    };
  });
  return { dishes, orders, robots, msPerMinute, rate, repeats, runs, comparison, env };
}

/** The pass whose wall time is closest to the run's median: the one a timeline shows. */
export function typicalPass(run: KitchenRun): KitchenPass {
  return run.passes.reduce((a, b) =>
    Math.abs(b.wallMs - run.wall.median) < Math.abs(a.wallMs - run.wall.median) ? b : a,
  );
}

/** Orders a run cooks in all. */
export function ordersOf(run: KitchenPlan): number {
  return run.robots.reduce((s, o) => s + o.length, 0);
}

/**
 * The runs as a text table: robots, orders, measured median, min and max, the ideal and
 * the limit that sets it, how close the median came to it, and the speedup over one robot
 * cooking the same dishes one after another (for runs that cook the same dishes).
 */
export function kitchenTable(result: KitchenResult): string {
  const seq = result.runs.find((r) => r.id === 'sequential');
  const rows = [
    ['run', 'robots', 'orders', 'median', 'min', 'max', 'ideal', 'ideal set by', 'ideal/median', 'speedup'],
  ];
  for (const r of result.runs) {
    rows.push([
      r.title,
      String(r.robots.length),
      String(ordersOf(r)),
      formatMs(r.wall.median),
      formatMs(r.wall.min),
      formatMs(r.wall.max),
      formatMs(r.ideal.ms),
      r.ideal.why,
      `${((100 * r.ideal.ms) / r.wall.median).toFixed(0)}%`,
      seq && r.id !== 'both' ? `${(seq.wall.median / r.wall.median).toFixed(2)}x` : '-',
    ]);
  }
  return textTable(rows);
}
