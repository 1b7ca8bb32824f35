/** The notebooks in reading order: each one's title, what it shows, and its parameters with their specs. */
import { PROCESSES_PARAMS } from './concepts/processes/params';
import { THREADS_PARAMS } from './concepts/threads/params';
import { KITCHEN_PARAMS } from './concepts/kitchen/params';
import { CPU_PARAMS } from './concepts/cpu/params';
import { GIL_PARAMS } from './concepts/gil/params';
import { IO_PARAMS } from './concepts/io/params';
import { QUEUE_PARAMS } from './concepts/queue/params';
import { experiment as cpu } from './concepts/cpu/experiment';
import { experiment as gil } from './concepts/gil/experiment';
import { experiment as io } from './concepts/io/experiment';
import { experiment as kitchen } from './concepts/kitchen/experiment';
import { experiment as queue } from './concepts/queue/experiment';
import { ParameterError } from './core/errors';
import type { Experiment } from './core/report';
import { display } from './core/kernel';
import { describeValues, isSpec, resolveParameters, type ParamSpec, type ParamValues } from './core/params';

/** Each notebook's parameters: the default (which fixes the type), the range, and the meaning. */
export const NOTEBOOK_PARAMS = {
  '01-processes': PROCESSES_PARAMS,
  '02-threads': THREADS_PARAMS,
  '03-concurrency-vs-parallelism': KITCHEN_PARAMS,
  '04-io-bound': IO_PARAMS,
  '05-cpu-bound': CPU_PARAMS,
  '06-gil-like-limits': GIL_PARAMS,
  '07-beyond-one-machine': QUEUE_PARAMS,
} satisfies Record<string, Record<string, ParamSpec>>;

type NotebookName = keyof typeof NOTEBOOK_PARAMS;

/** One notebook of the course: its file name without .ipynb, title, one line on what the reader will see, and parameters. */
type NotebookEntry = { name: string; title: string; summary: string; params: Record<string, ParamSpec> };

export const CATALOG: readonly NotebookEntry[] = (
  [
    [
      '01-processes',
      'Processes',
      'A program vs a running process: pids, child processes, memory that is not shared, and what starting one costs.',
    ],
    [
      '02-threads',
      'Threads',
      'Worker threads in one process: thread ids, sharing memory vs copying messages, lost updates and Atomics.',
    ],
    [
      '03-concurrency-vs-parallelism',
      'Concurrency vs parallelism',
      'The robot kitchen: one robot, one robot interleaving, a robot per dish, and orders shared by several robots.',
    ],
    [
      '04-io-bound',
      'I/O-bound work in every mode',
      'Requests to an embedded loopback server: sequential, async, a blocking client, thread and process pools.',
    ],
    [
      '05-cpu-bound',
      'CPU-bound work in every mode',
      "The course's triple loop: sequential, async, a thread pool and a process pool.",
    ],
    [
      '06-gil-like-limits',
      'GIL-like limits',
      "Node's event loop as its GIL, a simulated global lock that reproduces Python's result, and Amdahl's law measured.",
    ],
    [
      '07-beyond-one-machine',
      'Beyond one machine: a distributed queue',
      'The same tasks on a BullMQ queue on Redis: what the broker costs, workers on other machines, the Universal ' +
        'Scalability Law, and a worker killed mid-task.',
    ],
  ] as const
).map(([name, title, summary]) => ({ name, title, summary, params: NOTEBOOK_PARAMS[name] }));

/** Every experiment of the command line, in the order --help lists them: each a notebook's measurement. */
export const EXPERIMENTS: readonly Experiment<any>[] = [cpu, io, kitchen, gil, queue];

export function notebookEntry(name: string): NotebookEntry | undefined {
  return CATALOG.find((entry) => entry.name === name);
}

/**
 * A notebook's parameters: the catalog's defaults, then the cell's values (`parameters('05-cpu-bound',
 * { count: 20 })`), then CLAB_PARAMS_FILE, then CLAB_PARAMS; for a notebook of your own, a spec
 * (`{ default, help, ... }` each) instead of values. Each is checked.
 */
export function parameters<N extends NotebookName>(
  notebook: N,
  values?: Partial<ParamValues<(typeof NOTEBOOK_PARAMS)[N]>>,
): ParamValues<(typeof NOTEBOOK_PARAMS)[N]>;
export function parameters<S extends Record<string, ParamSpec>>(notebook: string, spec: S): ParamValues<S>;
export function parameters(notebook: string, second?: Record<string, unknown>): Record<string, unknown> {
  const spec = isSpec(second) ? second : notebookEntry(notebook)?.params;
  if (!spec) throw new ParameterError('notebook', `one of ${CATALOG.map((e) => e.name).join(', ')}`, notebook);
  const values = resolveParameters(notebook, spec, isSpec(second) ? {} : { ...second });
  // In a notebook the values used are shown at once, with what each means.
  display({ 'text/plain': describeValues(values, spec) });
  return values;
}
