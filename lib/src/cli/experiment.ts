/** What the command line needs from an experiment: its flags, and how to turn them into a workload and inputs. */
import type { Command } from 'commander';
import type { Figure } from '../charts/figure';
import type { Comparison, Sweep } from '../core/measure';
import type { Peer } from '../core/peers';
import type { Mode } from '../core/modes';
import type { WorkloadFn } from '../core/workload';
import type { CommonFlags, FlagSet } from './flags';
import type { ProgressReporter } from './progress';

/** An experiment ready to measure: what runs, on which inputs, and what to record with it. */
export interface Prepared {
  /** Names the output files (`<name>.html`, ...). */
  name: string;
  /** The page's title. */
  title: string;
  workload: string | WorkloadFn;
  inputs: unknown[];
  /** Stored with the result and shown at the top of the page. */
  params: Record<string, unknown>;
  /** Run beside the modes (e.g. the course's Python programs, with --python); see core/peers.ts. */
  peers?: Peer[];
  /** Also time each pool mode end to end, pool start-up included, as the course timed Python's. */
  endToEnd?: boolean;
  /** Extra charts or text for the page, from the finished measurement. */
  extras?: (comparison: Comparison, sweep?: Sweep) => Promise<(Figure | string)[]> | (Figure | string)[];
  /** Options of registered modes, keyed by mode (e.g. `{ queue: { redisUrl } }`), passed to compare and sweep. */
  modeOptions?: Partial<Record<string, unknown>>;
  /** Closes what `prepare` opened (a server); called after the run, also when it fails. */
  close?: () => Promise<void>;
}

/** What an experiment with its own measurement (io, ...) hands back to be printed and saved. */
export interface Outcome {
  /** The text for stdout: a table of the numbers, and any warnings. */
  summary: string;
  /** The page's charts and text. */
  items: (Figure | string)[];
  /** Everything measured, as JSON. */
  json: string;
  /** One row per task, with a header. */
  csv: string;
  /** More files, by the suffix after `<name>-` (e.g. 'sweep.json'); beside an exported file of the same extension. */
  more?: Record<string, string>;
  /** The summary as a markdown table. */
  markdown: string;
  /** Tasks that failed without a fault injection asking for it: the exit code is 1 unless --ignore-failure. */
  failed: number;
  /** What the first of them said (`task 3 (threads, repeat 1): ...`). */
  firstFailure?: string;
}

/** An experiment that measures itself instead of through compare/sweep. */
export interface SelfMeasured {
  name: string;
  title: string;
  params: Record<string, unknown>;
  /** Tasks (or `unit`s) it will time in all: what the progress bar counts to. */
  totalTasks: number;
  /** What the progress counts (default 'tasks'). */
  unit?: string;
  /** Runs the measurement, reporting to `progress`. */
  measure(progress: ProgressReporter): Promise<Outcome>;
}

/** One experiment of the command line. */
export interface Experiment {
  /** The word on the command line (`cpu`), or `<module>` for a workload module. */
  name: string;
  /** One line for --help. */
  summary: string;
  /** Set while the library part the experiment needs has not landed: says so instead of running. */
  unavailable?: string;
  /** The experiment's default pool size (the course's, where it has one). */
  workers: number;
  /** How --help states that default, when the number alone would not say why. */
  workersText?: string;
  /** The experiment's default --modes, when not the four built-in ones. */
  modes?: Mode[];
  /** The experiment's default --warmup, when not the library's. */
  warmup?: number;
  /** Adds the experiment's own flags. */
  addFlags(command: Command): void;
  /** Checks the flags (throwing UsageError for bad input) and prepares the run; starts nothing that outlives `close`. */
  prepare(flags: CommonFlags & Record<string, unknown>, target?: string): Promise<Prepared | SelfMeasured>;
  /** Its --timeout-ms bounds the whole run (kitchen, gil), not each task: the run is stopped and fails past it. */
  runTimeout?: boolean;
  /**
   * Which shared flags it takes: all (default); 'output': only repeats, warmup, out and
   * progress; 'files': only out and progress (it adds its own --repeats).
   */
  flags?: FlagSet;
}
