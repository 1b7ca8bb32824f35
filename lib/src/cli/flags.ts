/**
 * The flags every experiment shares, with their defaults in one place, and the parsers that
 * check a flag's value up front (one-line messages from the library's own validation).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { environment } from '../core/environment';
import { messageOf } from '../core/errors';
import { DEFAULTS } from '../core/measure';
import { isPoolMode, MODES, modeNames, type Mode } from '../core/modes';
import { coerceParam, type ParamSpec } from '../core/params';
import * as check from '../core/validate';
import { MAX_TIMER_MS } from '../core/validate';

/** The flags of every experiment, as parsed. */
export interface CommonFlags {
  workers: number;
  repeats: number;
  /** --runs, hyperfine's name for --repeats; folded into `repeats` once parsed. */
  runs?: number;
  warmup: number;
  modes: Mode[];
  sweep: boolean;
  sweepMode: Mode;
  sweepWorkers: number[];
  /** Fail a task (cpu, a module) or the whole run (kitchen, gil) that takes longer, in ms; io: per request. */
  timeoutMs?: number;
  /** A folder for every file at once: `<name>.html`, `.json`, `.csv`, `.md`. */
  out?: string;
  exportJson?: string;
  exportCsv?: string;
  exportHtml?: string;
  exportMarkdown?: string;
  /** Exit 0 even when tasks failed that no fault injection asked for. */
  ignoreFailure: boolean;
  progress: boolean;
}

/** The longest a timer can wait, in ms (2^31 - 1): the bound of every timeout. */
export const MAX_TIMEOUT_MS = MAX_TIMER_MS;

/** Pool sizes of the sweep unless --sweep-workers says otherwise: 1 to twice the cores. */
export function defaultSweepWorkers(): number[] {
  return Array.from({ length: 2 * environment().cores }, (_, i) => i + 1);
}

/**
 * A commander parser that converts and checks a value against a parameter spec; a list is
 * checked item by item, so a bad item is named as written (`--intervals[1] ... (got "x")`).
 */
export function specParser(flag: string, spec: ParamSpec): (value: string) => any {
  return (value: string) => {
    try {
      if (Array.isArray(spec.default)) {
        const item = { ...spec, default: 0 };
        return value.split(',').map((part, i) => coerceParam(`${flag}[${i}]`, item, part.trim()));
      }
      return coerceParam(flag, spec, value);
    } catch (error) {
      throw new InvalidArgumentError(messageOf(error));
    }
  };
}

/** An option whose value, default, range and help all come from a parameter spec. */
export function specOption(flags: string, spec: ParamSpec, defaultText?: string): Option {
  const flag = flags.split(/[ ,]+/).find((word) => word.startsWith('--'))!;
  const text = defaultText ?? (Array.isArray(spec.default) ? spec.default.join(',') : undefined);
  return new Option(flags, spec.help).default(spec.default, text).argParser(specParser(flag, spec));
}

function listParser<T>(flag: string, item: (name: string, value: string) => T, extra?: (list: T[]) => void) {
  return (value: string): T[] => {
    try {
      const parts = value.split(',').map((s) => s.trim());
      if (parts.some((p) => p === '')) check.nonEmptyList(flag, []);
      const list = parts.map((p, i) => item(`${flag}[${i}]`, p));
      extra?.(list);
      return list;
    } catch (error) {
      throw new InvalidArgumentError(messageOf(error));
    }
  };
}

/** The flags every experiment takes, whatever it measures: where results go, failures, progress. */
export const SHARED_FLAGS = [
  '--export-json',
  '--export-csv',
  '--export-html',
  '--export-markdown',
  '--out',
  '--ignore-failure',
  '--no-progress',
];

/** The shared flags of experiments that measure themselves with repeats and a warm-up (io). */
export const OUTPUT_FLAGS = ['--repeats', '--runs', '--warmup', ...SHARED_FLAGS];

/** The --repeats of an experiment, with hyperfine's -r; `--runs` is added beside it as an alias. */
export function repeatsOption(spec: ParamSpec): Option {
  return specOption('-r, --repeats <n>', { ...spec, help: `${spec.help} (alias: --runs)` });
}

/** --runs, hyperfine's name for --repeats (hidden from --help, which names it beside --repeats). */
export function runsOption(spec: ParamSpec): Option {
  return new Option('--runs <n>').hideHelp().argParser(specParser('--runs', spec)).conflicts('repeats');
}

/** --timeout-ms of an experiment that bounds the whole run (kitchen, gil): it is stopped and fails past it. */
export function runTimeoutOption(): Option {
  return new Option(
    '--timeout-ms <ms>',
    'stop the run and fail (exit 1) if it takes longer than this many ms (default: no limit)',
  ).argParser(specParser('--timeout-ms', { default: 1, min: 1, max: MAX_TIMEOUT_MS, help: '' }));
}

/** Which shared flags an experiment takes: all, OUTPUT_FLAGS, or only SHARED_FLAGS ('files'). */
export type FlagSet = 'all' | 'output' | 'files';

/**
 * Adds the shared flags to an experiment's command: all of them for experiments measured
 * with compare/sweep, only OUTPUT_FLAGS for those that measure themselves, only
 * SHARED_FLAGS for those that bring their own --repeats and warm up on their own.
 */
export function addCommonFlags(
  command: Command,
  defaults: { workers: number; workersText?: string; repeats?: number; warmup?: number; modes?: Mode[] },
  which: FlagSet = 'all',
): Command {
  const sweepDefault = defaultSweepWorkers();
  const repeats: ParamSpec = {
    default: defaults.repeats ?? DEFAULTS.repeats,
    integer: true,
    min: 1,
    max: 100,
    help: 'timed runs per mode (and per pool size in the sweep)',
  };
  const allModes = modeNames();
  const defaultModes = defaults.modes ?? [...MODES];
  const options = [
    specOption(
      '--workers <n>',
      {
        default: defaults.workers,
        integer: true,
        min: 1,
        max: 256,
        help: 'pool size of the thread and process pools (and queue workers)',
      },
      defaults.workersText,
    ),
    repeatsOption(repeats),
    runsOption(repeats),
    specOption('-w, --warmup <n>', {
      default: defaults.warmup ?? DEFAULTS.warmup,
      integer: true,
      min: 0,
      max: 100,
      help: 'untimed runs per mode first, so every worker has compiled the code',
    }),
    new Option('--modes <list>', `modes to run, comma-separated, from ${allModes.join(', ')}`)
      .default(defaultModes, defaultModes.join(','))
      .argParser(
        listParser(
          '--modes',
          (name, v) => check.oneOf(name, v, allModes),
          (list) => check.subsetOf('--modes', list, allModes),
        ),
      ),
    new Option('--sweep', 'also measure speedup against pool size (a scaling chart)').default(false),
    new Option('--sweep-mode <mode>', 'the pool the sweep scales')
      .choices(allModes.filter(isPoolMode))
      .default('threads'),
    new Option('--sweep-workers <list>', 'pool sizes of the sweep, comma-separated')
      .default(sweepDefault, `1 to twice the cores: ${sweepDefault.join(',')}`)
      .argParser(listParser('--sweep-workers', (name, v) => check.integer(name, v === '' ? NaN : Number(v), 1, 256))),
    new Option(
      '--timeout-ms <ms>',
      'fail a task that runs longer than this many ms (a pool stops its worker; default: no limit)',
    ).argParser(specParser('--timeout-ms', { default: 1, min: 1, max: MAX_TIMEOUT_MS, help: '' })),
    new Option('--export-json <file>', "write every record and each mode's summary as JSON (default: no file)"),
    new Option('--export-csv <file>', 'write one CSV row per task (default: no file)'),
    new Option('--export-html <file>', 'write the charts as a standalone HTML page (default: no file)'),
    new Option('--export-markdown <file>', 'write the summary as a markdown table (default: no file)'),
    new Option('--out <dir>', 'write all four files into this folder, named after the experiment (default: none)'),
    new Option('-i, --ignore-failure', 'exit 0 even when tasks failed').default(false, 'exit 1 when one did'),
    new Option('--no-progress', 'no progress on stderr (default: a bar on a terminal, a line per run otherwise)'),
  ];
  for (const option of options) {
    const wanted = which === 'all' || (which === 'output' ? OUTPUT_FLAGS : SHARED_FLAGS).includes(option.long!);
    if (wanted) command.addOption(option);
  }
  return command;
}
