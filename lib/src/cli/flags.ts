/** The command line's flags: an experiment's own from its parameter specs, and the shared ones (hyperfine's names). */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { environment } from '../core/environment';
import { messageOf } from '../core/errors';
import { isPoolMode, modeNames } from '../core/modes';
import { coerceParam, type ParamSpec } from '../core/params';
import type { Experiment } from '../core/report';
import { DEFAULTS } from '../core/rounds';
import * as check from '../core/validate';

/** The files a run can write, by flag: the suffix `--out` names each with, and what it holds. */
export const EXPORTS = {
  exportJson: ['.json', "write hyperfine's results[] (seconds) and every record as JSON"],
  exportCsv: ['.csv', "write one CSV row per row, hyperfine's columns first"],
  exportTasksCsv: ['-tasks.csv', 'write one CSV row per task'],
  exportHtml: ['.html', 'write the charts and findings as a standalone HTML page'],
  exportMarkdown: ['.md', 'write the tables and findings as markdown'],
} as const;

export type ExportFlag = keyof typeof EXPORTS;

/**
 * The parsed flags: the shared ones, and the experiment's own by parameter name. `timeoutMs` bounds a task
 * (a request for io; for kitchen and gil the whole run); `ignoreFailure` exits 0 though tasks failed.
 */
export type Flags = Partial<Record<ExportFlag | 'out', string>> &
  Partial<Record<'warmup' | 'minRuns' | 'maxRuns' | 'timeoutMs', number>> & {
    modes?: string[];
    sweep: boolean;
    sweepMode: string;
    sweepWorkers: number[];
    ignoreFailure: boolean;
    progress: boolean;
  } & Record<string, unknown>;

/** A flag's name for a parameter: `latencyMs` is `--latency-ms`. */
export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Flags only a comparison of modes takes (cpu, queue, a workload module). */
export const COMPARE_FLAGS = '--modes --sweep --sweep-mode --sweep-workers --warmup --min-runs --max-runs'.split(' ');

/** Flags every experiment takes, listed once in --help. */
export const SHARED_FLAGS = [
  ...'--timeout-ms --out --ignore-failure --no-progress'.split(' '),
  ...Object.keys(EXPORTS).map((k) => `--${kebab(k)}`),
];

/** A commander parser that converts and checks a value against a parameter spec (a list split at commas). */
function specParser(flag: string, spec: ParamSpec): (value: string) => any {
  return (value: string) => {
    try {
      return coerceParam(flag, spec, value);
    } catch (error) {
      throw new InvalidArgumentError(messageOf(error));
    }
  };
}

/** The flag of one parameter: its value, default, range and help all from its spec. */
function paramOption(name: string, spec: ParamSpec, given: unknown): Option {
  const flag = `--${kebab(name)}`;
  const value = given ?? spec.default;
  if (typeof spec.default === 'boolean') {
    return value
      ? new Option(`--no-${kebab(name)}`, `leave out: ${spec.help}`)
      : new Option(flag, spec.help).default(false);
  }
  const short = name === 'repeats' ? '-r, ' : '';
  const text = Array.isArray(value) ? value.join(',') : value === '' ? 'none' : undefined;
  return new Option(`${short}${flag} <value>`, spec.help).default(value, text).argParser(specParser(flag, spec));
}

function listParser<T>(flag: string, item: (name: string, value: string) => T) {
  return (value: string): T[] => {
    try {
      const parts = value.split(',').map((s) => s.trim());
      if (parts.some((p) => p === '')) check.nonEmptyList(flag, []);
      return parts.map((p, i) => item(`${flag}[${i}]`, p));
    } catch (error) {
      throw new InvalidArgumentError(messageOf(error));
    }
  };
}

export function intOption(flags: string, help: string | undefined, min: number, max: number): Option {
  const option = new Option(flags, help);
  return option.argParser(specParser(option.long!, { default: 0, integer: true, min, max, help: '' }));
}

/** Adds an experiment's own flags and the shared ones to its command. */
export function addFlags(command: Command, experiment: Experiment): Command {
  for (const [name, spec] of Object.entries(experiment.params)) {
    if (name !== 'timeoutMs') command.addOption(paramOption(name, spec, experiment.cliDefaults?.[name])); // the shared --timeout-ms
  }
  if (experiment.params.repeats)
    command.addOption(intOption('--runs <n>', undefined, 0, 1000).hideHelp().conflicts('repeats'));
  const sweepDefault = Array.from({ length: 2 * environment().cores }, (_, i) => i + 1);
  const timeout = experiment.params.timeoutMs;
  const shared = [
    new Option('--modes <list>', `rows to run, comma-separated, from ${modeNames().join(', ')}`).argParser(
      listParser('--modes', (name, v) => check.oneOf(name, v, modeNames())),
    ),
    new Option('--sweep', 'also measure speedup against pool size (and, for io, the connection limit)').default(false),
    new Option('--sweep-mode <mode>', 'the pool the sweep scales')
      .choices(modeNames().filter(isPoolMode))
      .default('threads'),
    new Option('--sweep-workers <list>', 'pool sizes of the sweep, comma-separated')
      .default(sweepDefault, `1 to twice the cores: ${sweepDefault.join(',')}`)
      .argParser(listParser('--sweep-workers', (name, v) => check.integer(name, v === '' ? NaN : Number(v), 1, 256))),
    intOption('-w, --warmup <n>', `untimed runs per row first (default ${DEFAULTS.warmup})`, 0, 100),
    intOption('-m, --min-runs <n>', 'adaptive runs: at least this many per row (instead of --repeats)', 1, 1000),
    intOption('-M, --max-runs <n>', 'adaptive runs: at most this many per row (instead of --repeats)', 1, 10_000),
    new Option(
      '--timeout-ms <ms>',
      experiment.runTimeout
        ? 'stop the run and fail (exit 1) if it takes longer than this many ms (default: no limit)'
        : (timeout?.help ??
            'fail a task that runs longer than this many ms (a pool stops its worker; default: no limit)'),
    ).argParser(specParser('--timeout-ms', { default: 1, min: 1, max: check.MAX_TIMER_MS, help: '' })),
    ...Object.entries(EXPORTS).map(([key, [, help]]) => new Option(`--${kebab(key)} <file>`, help)),
    new Option('--out <dir>', 'write all five files into this folder, named after the experiment'),
    new Option('-i, --ignore-failure', 'exit 0 even when tasks failed').default(false, 'exit 1 when one did'),
    new Option('--no-progress', 'no progress on stderr (default: a bar on a terminal, a line per run otherwise)'),
  ];
  for (const option of shared) {
    const compares = experiment.compares || (option.long === '--sweep' && experiment.params.connections);
    if (COMPARE_FLAGS.includes(option.long!) && !compares) continue;
    if (option.long !== '--warmup' || !experiment.params.warmup) command.addOption(option);
  }
  return command;
}
