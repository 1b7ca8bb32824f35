/** The shapes of the report every concept hands back and of what the command line needs to run a concept. */
import type { ParamSpec } from './params';
import type { Comparison, MeasureOptions } from './plan';
import type { Environment } from './records';

/** A plotly trace (kept loose: plotly's own typings are not a dependency). */
export type Trace = Record<string, unknown>;

/** A plotly figure and its text twin, for readers without JavaScript. */
export interface Figure {
  title: string;
  data: Trace[];
  layout: Record<string, unknown>;
  /** The chart's numbers as a fixed-width text table. */
  table: string;
}

/** What a concept reports: numbers first, then the charts and the sentences read from them. */
export interface Report {
  /** Names the files (`<name>.json`, ...). */
  name: string;
  title: string;
  /** One sentence for the index page. */
  headline: string;
  /** "What we measured", in markdown. */
  findings: string;
  figures: (Figure | string)[];
  /** Every comparison it read, by name: what JSON and CSV hold. */
  results: Record<string, Comparison>;
  env: Environment;
  params: Record<string, unknown>;
}

/** What the command line passes on to an experiment besides its parameters. */
export interface RunOptions extends Pick<MeasureOptions, 'onProgress' | 'warmup' | 'minRuns' | 'maxRuns'> {
  /** Per task (per request for io); experiments that cannot bound a task bound the whole run instead. */
  timeoutMs?: number;
  /** The rows of a comparison experiment (cpu, a module). */
  modes?: string[];
  /** Also sweep the pool size of `mode` over `workers`. */
  sweep?: { mode: string; workers: number[] };
}

/** A concept as the command line runs it: the notebook's parameters as flags, a measurement, and its report. */
export interface Experiment<M = unknown> {
  /** The word on the command line ('cpu'), the notebook it retells ('05-cpu-bound'), one line for --help. */
  name: string;
  notebook: string;
  summary: string;
  /** Its parameters, as the catalog has them (the flags are made from them). */
  params: Record<string, ParamSpec>;
  /** Values that differ on the command line from the notebook's defaults (e.g. no Python unless asked). */
  cliDefaults?: Record<string, unknown>;
  /** True when it runs a comparison of modes (--modes, --sweep and the run counts apply). */
  compares?: boolean;
  /** True when --timeout-ms bounds its whole run (it has no per-task limit): it is stopped and fails past it. */
  runTimeout?: boolean;
  measure(values: Record<string, unknown>, options: RunOptions): Promise<M>;
  report(measured: M): Report;
}
