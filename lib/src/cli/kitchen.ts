/**
 * `concurrency-lab kitchen`: the robot kitchen of notebook 03-concurrency-vs-parallelism,
 * cooked for real in its four runs (one robot, one robot interleaving, a robot per dish,
 * the orders shared by several robots), every step recorded.
 */
import { InvalidArgumentError, Option } from 'commander';
import { NOTEBOOK_PARAMS } from '../catalog';
import { kitchenChart, kitchenTimelines } from '../concepts/kitchen/charts';
import { messageOf, ParameterError } from '../core/errors';
import { kitchenFindings, kitchenHeadline } from '../concepts/kitchen/findings';
import { pickDishes, RECIPES } from '../concepts/kitchen/recipes';
import { kitchen, KITCHEN_RUNS, type KitchenProgress, type KitchenResult } from '../concepts/kitchen/run';
import { formatMs } from '../core/summary';
import type { Experiment, Outcome } from './experiment';
import { repeatsOption, runsOption, runTimeoutOption, specOption } from './flags';
import type { ProgressReporter } from './progress';
import { markdownOfTextTable } from '../output/export';
import { csvLine, describeEnv, jsonOf, plainText } from './report';

const SPEC = NOTEBOOK_PARAMS['03-concurrency-vs-parallelism'];

/** Most dishes a run may cook: the parallel run gives each its own robot (a thread). */
const MAX_DISHES = 64;

/** Checks --dishes against the menu; returns the names. */
function parseDishes(value: string): string[] {
  try {
    const names = pickDishes(value).map((d) => d.name);
    if (names.length > MAX_DISHES) {
      throw new ParameterError('dishes', `at most ${MAX_DISHES} dishes (one robot each)`, names.length);
    }
    return names;
  } catch (error) {
    if (error instanceof ParameterError) {
      throw new InvalidArgumentError(new ParameterError(`--${error.parameter}`, error.allowed, error.got).message);
    }
    throw new InvalidArgumentError(messageOf(error));
  }
}

/** One row per step of every pass of every run; times in ms from the start of that pass. */
export function kitchenCSV(result: KitchenResult): string {
  const header = [
    'run',
    'pass',
    'robot',
    'lane',
    'order',
    'dish',
    'step',
    'kind',
    'startMs',
    'endMs',
    'durationMs',
    'plannedMs',
    'threadId',
  ];
  const lines = [header.join(',')];
  for (const run of result.runs) {
    for (const pass of run.passes) {
      for (const s of pass.steps) {
        lines.push(
          csvLine([
            run.id,
            pass.repeat,
            s.robot,
            `robot ${s.robot} · #${s.order} ${s.dish}`,
            s.order,
            s.dish,
            s.step,
            s.kind,
            (s.start - pass.start).toFixed(3),
            (s.end - pass.start).toFixed(3),
            (s.end - s.start).toFixed(3),
            s.plannedMs.toFixed(3),
            s.threadId,
          ]),
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function reportPass(progress: ProgressReporter): (p: KitchenProgress) => void {
  return (p) =>
    progress.advance(`${p.title}, pass ${p.repeat + 1}/${p.repeats}: ${p.steps} steps in ${formatMs(p.wallMs)}`);
}

/** The robot kitchen; defaults are the notebook's. */
export const kitchenExperiment: Experiment = {
  name: 'kitchen',
  summary: 'the robot kitchen: concurrency vs parallelism, as in notebook 03-concurrency-vs-parallelism',
  workers: SPEC.robots.default,
  flags: 'files',
  runTimeout: true,
  addFlags(command) {
    command
      .addOption(
        new Option('--dishes <list>', `the dishes, comma-separated, from the menu: ${Object.keys(RECIPES).join(', ')}`)
          .default(SPEC.dishes.default.split(','), SPEC.dishes.default)
          .argParser(parseDishes),
      )
      .addOption(specOption('--orders <n>', SPEC.orders))
      .addOption(specOption('--robots <n>', SPEC.robots))
      .addOption(specOption('--ms-per-minute <ms>', SPEC.msPerMinute))
      .addOption(repeatsOption(SPEC.repeats))
      .addOption(runsOption(SPEC.repeats))
      .addOption(runTimeoutOption());
  },
  async prepare(flags) {
    const dishes = flags.dishes as string[];
    const orders = flags.orders as number;
    const robots = flags.robots as number;
    const msPerMinute = flags.msPerMinute as number;
    const repeats = flags.repeats;
    const params = { dishes, orders, robots, msPerMinute, repeats };
    const title = `kitchen: ${dishes.join(', ')}; ${orders} orders on ${robots} robots; ${msPerMinute} ms per recipe minute`;
    return {
      name: 'kitchen',
      title,
      params,
      totalTasks: KITCHEN_RUNS.length * repeats,
      unit: 'runs',
      async measure(progress): Promise<Outcome> {
        const result = await kitchen({
          dishes: pickDishes(dishes),
          orders,
          robots,
          msPerMinute,
          repeats,
          onProgress: reportPass(progress),
        });
        const about = describeEnv(result.env, params);
        const headline = kitchenHeadline(result);
        const findings = plainText(kitchenFindings(result));
        const chart = kitchenChart(result);
        return {
          summary: [title, about, '', chart.table, '', headline, '', findings].join('\n'),
          items: [about, headline, chart, ...kitchenTimelines(result), findings],
          json: jsonOf(result),
          csv: kitchenCSV(result),
          markdown: markdownOfTextTable(chart.table),
          failed: 0,
        };
      },
    };
  },
};
