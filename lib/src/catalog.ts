/**
 * The notebooks in reading order: each one's title, what it shows, and its parameters
 * with their defaults. Notebooks read their parameters through `parameters(name)`, and
 * `npm start -- --set name=value` checks values against these same specs before running.
 */
import type { ParamSpec } from './params';

/** Each notebook's parameters: the default (which fixes the type), the range, and the meaning. */
export const NOTEBOOK_PARAMS = {
  '05-cpu-bound': {
    count: { default: 100, integer: true, min: 1, max: 10_000, help: 'how many inputs (tasks)' },
    num: { default: 30, integer: true, min: 2, max: 200, help: 'each input: the loop runs over range(1, num)' },
    workers: { default: 10, integer: true, min: 1, max: 256, help: 'pool size of the thread and process pools' },
    repeats: { default: 3, integer: true, min: 1, max: 100, help: 'timed runs per mode' },
    sweepCount: { default: 40, integer: true, min: 1, max: 10_000, help: 'tasks per run in the pool-size sweep' },
    sweepMax: { default: 0, integer: true, min: 0, max: 256, help: 'largest pool in the sweep (0 = twice the cores)' },
    sweepRepeats: { default: 2, integer: true, min: 1, max: 100, help: 'timed runs per pool size in the sweep' },
  },
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
    name: '05-cpu-bound',
    title: 'CPU-bound work in every mode',
    summary: "The course's triple loop over 100 inputs: sequential, async, a thread pool and a process pool.",
    params: NOTEBOOK_PARAMS['05-cpu-bound'],
  },
];

/** The catalog entry of a notebook, or undefined. */
export function notebookEntry(name: string): NotebookEntry | undefined {
  return CATALOG.find((entry) => entry.name === name);
}
