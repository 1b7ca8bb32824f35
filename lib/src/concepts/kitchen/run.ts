/**
 * The robot kitchen, run for real: the course's four ways of cooking, each measured.
 * - one robot cooks the dishes one after another (no concurrency, no parallelism);
 * - one robot interleaves them, starting another dish while water boils (concurrency);
 * - one robot per dish, all at once (parallelism: worker threads);
 * - ten orders split 3/3/4 over three robots, each interleaving its own (both).
 * Every robot is a worker thread; every step is recorded, so a timeline can show it.
 */
import path from 'node:path';
import { now } from '../../core/clock';
import { environment } from '../../core/environment';
import { ParameterError } from '../../core/errors';
import type { Environment } from '../../core/records';
import { summarize, type Summary } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import { Team } from '../threads/team';
import * as check from '../../core/validate';
import { count } from '../../core/words';
import { calibrate, type CookStyle, type Order, type StepRecord } from './cook';
import { checkRecipe, minutesOf, RECIPES, type Recipe } from './recipes';
import type { RobotCommand } from './robot';

const ROBOT_SCRIPT = path.join(__dirname, 'robot.js');

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
  /** Called after each timed pass (default: nothing), e.g. to show progress. */
  onProgress?: (progress: KitchenProgress) => void;
}

/** What `onProgress` hears after each timed pass. */
export interface KitchenProgress {
  /** The run that just finished a pass, and its title. */
  run: KitchenRunId;
  title: string;
  /** 0-based repeat of that pass, of `repeats`. */
  repeat: number;
  repeats: number;
  /** Steps the pass cooked, and its wall time in ms. */
  steps: number;
  wallMs: number;
  /** Passes done so far, of `total` (runs x repeats). */
  done: number;
  total: number;
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
  const used = Math.min(plan.robots.length, cores);
  if (used > 1) candidates.push({ ms: handsOnAll / used, why: `all hands-on time / ${used} cores` });
  const best = candidates.reduce((a, b) => (b.ms > a.ms + 1e-9 ? b : a));
  return { ms: best.ms * msPerMinute, why: best.why };
}

async function pass(team: Team<RobotCommand>, plan: KitchenPlan, repeat: number, msPerMinute: number, rate: number) {
  const start = now();
  const answers = await Promise.all(
    plan.robots.map((orders, r) =>
      team.ask(r, { cmd: 'cook', robot: r + 1, orders, style: plan.style, msPerMinute, rate }),
    ),
  );
  const failed = answers.find((a) => a.error);
  if (failed) throw new Error(`a robot failed: ${failed.error}`);
  const steps = (answers.flatMap((a) => a.steps) as StepRecord[])
    .sort((a, b) => a.start - b.start)
    .map((s, index) => ({ ...s, index }));
  const end = steps.length ? Math.max(...steps.map((s) => s.end)) : now();
  return { repeat, start, end, wallMs: end - start, steps };
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
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw new ParameterError('onProgress', 'a function', onProgress);
  if (dishes.length > 64) throw new ParameterError('dishes', 'at most 64 dishes (one robot each)', dishes);
  const env = environment();
  const plans = kitchenPlans(dishes, orders, robots).filter((p) => ids.includes(p.id));
  const rate = calibrate();
  const runs = plans.map((plan) => ({
    ...plan,
    ideal: idealOf(plan, msPerMinute, env.cores),
    passes: [] as KitchenPass[],
  }));
  const team = new Team<RobotCommand>(Math.max(...plans.map((p) => p.robots.length)), ROBOT_SCRIPT);
  try {
    await Promise.all(
      Array.from({ length: team.size }, (_, i) => team.ask(i, { cmd: 'warm', iterations: Math.round(rate * 30) })),
    );
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (let k = 0; k < runs.length; k++) {
        const run = runs[(k + repeat) % runs.length]!;
        const done = await pass(team, run, repeat, msPerMinute, rate);
        run.passes.push(done);
        onProgress?.({
          run: run.id,
          title: run.title,
          repeat,
          repeats,
          steps: done.steps.length,
          wallMs: done.wallMs,
          done: repeat * runs.length + k + 1,
          total: repeats * runs.length,
        });
      }
    }
  } finally {
    await team.close();
  }
  return {
    dishes,
    orders,
    robots,
    msPerMinute,
    rate,
    repeats,
    runs: runs.map((r) => ({ ...r, wall: summarize(r.passes.map((p) => p.wallMs)) })),
    env,
  };
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
