/**
 * The notebooks in reading order: each one's title, what it shows, and its parameters
 * with their defaults. Notebooks read their parameters through `parameters(name)`, and
 * `npm start -- --set name=value` checks values against these same specs before running.
 */
import { GIL_PARAMS } from './concepts/gil/params';
import { IO_PARAMS } from './concepts/io/params';
import { ParameterError } from './core/errors';
import { describeValues, isSpec, resolveParameters, type ParamSpec, type ParamValues } from './core/params';

/** Each notebook's parameters: the default (which fixes the type), the range, and the meaning. */
export const NOTEBOOK_PARAMS = {
  '01-processes': {
    children: { default: 4, integer: true, min: 1, max: 64, help: 'child processes to start at once' },
    method: {
      default: 'fork',
      choices: ['fork', 'spawn'],
      help: 'how to start them: fork (with a message channel) or spawn',
    },
    startupRepeats: {
      default: 10,
      integer: true,
      min: 1,
      max: 200,
      help: 'timed starts of each kind in the start-up chart',
    },
  },
  '02-threads': {
    threads: { default: 4, integer: true, min: 1, max: 64, help: 'worker threads that report their ids' },
    sizesKB: {
      default: [1, 16, 256, 4096, 16384],
      integer: true,
      min: 1,
      max: 262144,
      help: 'message sizes in KB for the copy-cost chart',
    },
    messageRepeats: { default: 5, integer: true, min: 1, max: 100, help: 'timed round trips per method and size' },
    raceThreads: { default: 2, integer: true, min: 2, max: 16, help: 'threads adding to the shared counter at once' },
    increments: {
      default: 1000000,
      integer: true,
      min: 1,
      max: 100000000,
      help: 'additions per thread in the counter race',
    },
    raceRepeats: { default: 5, integer: true, min: 1, max: 100, help: 'runs of each way of adding' },
  },
  '03-concurrency-vs-parallelism': {
    dishes: { default: 'ramen,pasta,cake', help: 'the dishes, by name from the menu below, comma-separated' },
    orders: {
      default: 10,
      integer: true,
      min: 1,
      max: 1000,
      help: 'orders in the last run, taken from the dishes in turn',
    },
    robots: { default: 3, integer: true, min: 1, max: 64, help: 'robots (worker threads) in the last run' },
    msPerMinute: { default: 40, min: 0.1, max: 1000, help: 'time scale: milliseconds of real time per recipe minute' },
    repeats: { default: 2, integer: true, min: 1, max: 20, help: 'timed passes of each run' },
  },
  '04-io-bound': IO_PARAMS,
  '05-cpu-bound': {
    count: { default: 100, integer: true, min: 1, max: 10_000, help: 'how many inputs (tasks)' },
    num: { default: 30, integer: true, min: 2, max: 200, help: 'each input: the loop runs over range(1, num)' },
    workers: { default: 10, integer: true, min: 1, max: 256, help: 'pool size of the thread and process pools' },
    repeats: { default: 3, integer: true, min: 1, max: 100, help: 'timed runs per mode' },
    sweepCount: { default: 40, integer: true, min: 1, max: 10_000, help: 'tasks per run in the pool-size sweep' },
    sweepMax: { default: 0, integer: true, min: 0, max: 256, help: 'largest pool in the sweep (0 = twice the cores)' },
    sweepRepeats: { default: 2, integer: true, min: 1, max: 100, help: 'timed runs per pool size in the sweep' },
  },
  '06-gil-like-limits': GIL_PARAMS,
} satisfies Record<string, Record<string, ParamSpec>>;

/** A notebook that has parameters in the catalog. */
export type NotebookName = keyof typeof NOTEBOOK_PARAMS;

/** One notebook of the course. */
export interface NotebookEntry {
  /** File name without .ipynb, e.g. "05-cpu-bound". */
  name: string;
  title: string;
  /** One line on what the reader will see. */
  summary: string;
  params: Record<string, ParamSpec>;
}

/** Every notebook, in reading order. */
export const CATALOG: readonly NotebookEntry[] = [
  {
    name: '01-processes',
    title: 'Processes',
    summary:
      'A program vs a running process: pids, child processes, memory that is not shared, and what starting one costs.',
    params: NOTEBOOK_PARAMS['01-processes'],
  },
  {
    name: '02-threads',
    title: 'Threads',
    summary: 'Worker threads in one process: thread ids, sharing memory vs copying messages, lost updates and Atomics.',
    params: NOTEBOOK_PARAMS['02-threads'],
  },
  {
    name: '03-concurrency-vs-parallelism',
    title: 'Concurrency vs parallelism',
    summary: 'The robot kitchen: one robot, one robot interleaving, three robots, and ten orders on three robots.',
    params: NOTEBOOK_PARAMS['03-concurrency-vs-parallelism'],
  },
  {
    name: '04-io-bound',
    title: 'I/O-bound work in every mode',
    summary:
      '100 requests to an embedded loopback server: sequential, async, a blocking client, thread and process pools.',
    params: NOTEBOOK_PARAMS['04-io-bound'],
  },
  {
    name: '05-cpu-bound',
    title: 'CPU-bound work in every mode',
    summary: "The course's triple loop over 100 inputs: sequential, async, a thread pool and a process pool.",
    params: NOTEBOOK_PARAMS['05-cpu-bound'],
  },
  {
    name: '06-gil-like-limits',
    title: 'GIL-like limits',
    summary:
      "Node's event loop as its GIL, a simulated global lock that reproduces Python's result, and Amdahl's law measured.",
    params: NOTEBOOK_PARAMS['06-gil-like-limits'],
  },
];

/** The catalog entry of a notebook, or undefined. */
export function notebookEntry(name: string): NotebookEntry | undefined {
  return CATALOG.find((entry) => entry.name === name);
}

/**
 * A notebook's parameters. For a notebook of the course: the catalog's defaults, then the
 * values you write in the cell (`parameters('05-cpu-bound', { count: 20 })`), then
 * CLAB_PARAMS_FILE, then CLAB_PARAMS. For a notebook of your own, or to change the
 * ranges, pass a spec (each entry `{ default, help, ... }`) instead of values.
 * Every value is checked; a bad one is a one-line error naming it.
 */
export function parameters<N extends NotebookName>(
  notebook: N,
  values?: Partial<ParamValues<(typeof NOTEBOOK_PARAMS)[N]>>,
): ParamValues<(typeof NOTEBOOK_PARAMS)[N]>;
export function parameters<S extends Record<string, ParamSpec>>(notebook: string, spec: S): ParamValues<S>;
export function parameters(notebook: string, second?: Record<string, unknown>): Record<string, unknown> {
  if (isSpec(second)) return resolveParameters(notebook, second);
  const spec = notebookEntry(notebook)?.params;
  if (!spec) throw new ParameterError('notebook', `one of ${CATALOG.map((e) => e.name).join(', ')}`, notebook);
  return resolveParameters(notebook, spec, { ...second });
}

/** The parameters as a text table: name, value, and (given the notebook or its spec) what each means. */
export function describeParams(values: Record<string, unknown>, spec?: string | Record<string, ParamSpec>): string {
  return describeValues(values, typeof spec === 'string' ? notebookEntry(spec)?.params : spec);
}
